using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Platform;
using MlOps.Data.Events;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// The Comet REST v2 surface under <c>/api/rest/v2</c>: every call carries the API key as a bare
/// <c>Authorization</c> header; answers and errors are Comet's JSON with content type exactly application/json.
/// </summary>
public static class CometApi
{
    public const string Prefix = "/api/rest/v2";

    private const string FormItem = "mlops.comet.form";

    /// <summary>What only Comet keeps: assets, panels, remote calls (webhooks are the platform's: any surface changes stages).</summary>
    public static IServiceCollection AddComet(this IServiceCollection services)
    {
        services.AddScoped<AssetRepository>();
        services.AddScoped<PanelRepository>();
        services.AddScoped<RemoteCallRepository>();
        return services;
    }

    public static RouteGroupBuilder MapComet(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).WithTags("Comet").WithDialect(CometDialect.Instance).RequireAuthorization(Auth.AuthSchemes.CometPolicy);
        CometWorkspaces.Map(api);
        CometProjects.Map(api);
        CometExperiments.Map(api);
        CometMetrics.Map(api);
        CometParameters.Map(api);
        CometDetails.Map(api);
        CometAssets.Map(api);
        CometRegistry.Map(api);
        CometModelFiles.Map(api);
        CometArtifacts.Map(api);
        CometQuery.Map(api);
        CometPanels.Map(api);
        CometWebhooks.Map(api);
        CometRemoteCalls.Map(api);
        return api;
    }

    public static IResult Json(object? body, int status) => Results.Json(body, CometJson.Options, CometJson.ContentType, status);

    /// <summary>Comet's error body: <c>{msg, code, data, sdk_error_code}</c>, with the code as the status.</summary>
    public static IResult Error(CometException error) =>
        Json(new CometError(error.Message, error.Status, null, error.SdkErrorCode), error.Status);

    private sealed record CometError(string Msg, int Code, object? Data, [property: System.Text.Json.Serialization.JsonPropertyName("sdk_error_code")] int SdkErrorCode);

    /// <summary>Reads the JSON body as <typeparamref name="T"/>; malformed or mistyped JSON is a 400.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext http) where T : class
    {
        try
        {
            var body = await RequestBody.BytesAsync(http);
            return (body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, CometJson.Options))
                ?? throw CometException.BadRequest("request body is required");
        }
        catch (JsonException e)
        {
            throw CometException.BadRequest($"malformed request body: {e.Message}");
        }
    }

    /// <summary>
    /// The multipart part named <c>file</c>, as comet_ml uploads (options travel in the query string). The blob
    /// store's limit applies instead of Kestrel's default body limit; over it is a 413.
    /// </summary>
    public static async Task<IFormFile> ReadUploadAsync(HttpContext http, long limit, CancellationToken ct) =>
        (await ReadFormAsync(http, limit, ct)).Files["file"] ?? throw CometException.MissingField("file");

    /// <summary>
    /// A multipart form (files and fields), under the blob store's limit rather than Kestrel's default. Read once per
    /// request (its files are buffered), so a handler run again after a write conflict reads the same form.
    /// </summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext http, long limit, CancellationToken ct)
    {
        if (http.Items[FormItem] is IFormCollection kept)
        {
            return kept;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        if (!http.Request.HasFormContentType)
        {
            throw CometException.BadRequest("expected a multipart upload with a 'file' part");
        }
        try
        {
            var form = await new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limit }).ReadFormAsync(ct);
            NulGuard.ThrowIfInForm(form);
            http.Items[FormItem] = form;
            return form;
        }
        catch (InvalidDataException e)
        {
            throw new CometException(413, e.Message);
        }
    }

    /// <summary>Comet experiment keys are 32 hex digits; anything else names no experiment.</summary>
    public static Guid ExperimentKey(string? key) =>
        key is null
            ? throw CometException.MissingField("experimentKey")
            : Guid.TryParse(key, out var id) ? id : throw new CometException(404, "Experiment not found");

    public static string Key(Guid id) => id.ToString("N");
}

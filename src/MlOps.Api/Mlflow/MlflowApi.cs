using Microsoft.Extensions.DependencyInjection.Extensions;
using MlOps.Api.Platform;

namespace MlOps.Api.Mlflow;

/// <summary>
/// MLflow's tracking REST API 2.0 (experiments, runs, metrics, the model registry) under <c>/api/2.0/mlflow</c> and,
/// as MLflow's UI calls it, <c>/ajax-api/2.0/mlflow</c>; artifacts proxied by the server under
/// <c>.../2.0/mlflow-artifacts</c>. Callers sign in as MLflow clients do: Basic user:password
/// (MLFLOW_TRACKING_USERNAME/PASSWORD) or a Bearer token (MLFLOW_TRACKING_TOKEN: an API key or a JWT). Everything
/// MLflow's UI calls relative to its page is mapped under <see cref="Hosting.MlflowUiHosting.BasePath"/> too.
/// </summary>
public static class MlflowApi
{
    public static readonly string[] Roots = ["/api/2.0", "/ajax-api/2.0", Hosting.MlflowUiHosting.BasePath + "/ajax-api/2.0"];

    public static IServiceCollection AddMlflow(this IServiceCollection services)
    {
        services.AddScoped<MlflowRunViews>();
        services.AddScoped<MlflowRegistryViews>();
        services.TryAddScoped<Data.Repositories.AssetRepository>();
        return services;
    }

    public static IEndpointRouteBuilder MapMlflow(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots)
        {
            var api = app.MapGroup(root + "/mlflow").WithTags("MLflow").WithDialect(MlflowDialect.Instance).RequireAuthorization(Auth.AuthSchemes.MlflowPolicy);
            MlflowExperiments.Map(api);
            MlflowRuns.Map(api);
            MlflowRunData.Map(api);
            MlflowMetrics.Map(api);
            MlflowRegisteredModels.Map(api);
            MlflowModelVersions.Map(api);
            MlflowArtifacts.MapTrackingList(api);
            api.MapGet("/gateway-proxy", NoGateway);
            api.MapPost("/gateway-proxy", NoGateway);
            api.Map("{**endpoint}", NotFound);
            var artifacts = app.MapGroup(root + "/mlflow-artifacts").WithTags("MLflow").WithDialect(MlflowDialect.Instance).RequireAuthorization(Auth.AuthSchemes.MlflowPolicy);
            MlflowArtifacts.Map(artifacts);
            artifacts.Map("{**endpoint}", NotFound);
        }
        foreach (var page in new[] { "", Hosting.MlflowUiHosting.BasePath })
        {
            MlflowArtifacts.MapUiDownloads(app.MapGroup(page).WithTags("MLflow").WithDialect(MlflowDialect.Instance).RequireAuthorization(Auth.AuthSchemes.MlflowPolicy));
        }
        return app;
    }

    /// <summary>Raw artifact uploads (PUT .../mlflow-artifacts/artifacts/...): their bytes are the file's, NULs included.</summary>
    public static bool IsRawUpload(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) && Roots.Any(root => request.Path.StartsWithSegments(root + "/mlflow-artifacts/artifacts"));

    public static IResult Error(MlflowException error, int? status = null) =>
        Results.Json(new MlflowError(error.ErrorCode, error.Message), MlflowJson.Options, statusCode: status ?? error.Status);

    private sealed record MlflowError(string ErrorCode, string Message);

    /// <summary>No AI gateway is configured: MLflow's server then answers as an empty one, which the UI asks on every page.</summary>
    private static object NoGateway() => new { endpoints = Array.Empty<object>() };

    private static IResult NotFound(HttpContext http) =>
        throw new MlflowException(MlflowException.EndpointNotFound, $"No API endpoint at {http.Request.Method} {http.Request.Path}");

    /// <summary>Keys, values and batches as large as MLflow's server takes (mlflow/utils/validation.py), and no larger.</summary>
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 5000;
    public const int MaxNameLength = 250;

    public static string Key(string key, string what)
    {
        if (key.Length > MaxKeyLength)
        {
            throw MlflowException.Invalid($"{what} '{key[..50]}...' had length {key.Length}, which exceeded length limit of {MaxKeyLength}");
        }
        if (key.Contains("..") || key.StartsWith('/') || key.Any(c => char.IsControl(c)))
        {
            throw MlflowException.Invalid($"Invalid value \"{key}\" for parameter 'key' supplied: names may not contain '..', start with '/' or hold control characters.");
        }
        return key;
    }

    public static string Value(string? value, int max, string what) =>
        (value ?? "").Length > max
            ? throw MlflowException.Invalid($"{what} value '{value![..50]}...' had length {value.Length}, which exceeded length limit of {max}")
            : value ?? "";

    /// <summary>An opaque page token: the offset of the page's first item.</summary>
    public static int Offset(string? pageToken)
    {
        if (string.IsNullOrEmpty(pageToken))
        {
            return 0;
        }
        try
        {
            return int.TryParse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(pageToken)), out var offset) && offset >= 0
                ? offset : throw MlflowException.Invalid("Invalid page token");
        }
        catch (FormatException)
        {
            throw MlflowException.Invalid("Invalid page token");
        }
    }

    /// <summary>The page at the token's offset, and the token of the next page when there is one.</summary>
    public static (List<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, string? pageToken, int size)
    {
        var offset = Offset(pageToken);
        var page = items.Skip(offset).Take(size).ToList();
        var next = offset + size < items.Count ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }
}

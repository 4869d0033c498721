using System.Text.Json;
using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Blobs;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet panels: uploaded panel code and the per-instance store a panel saves in a project.</summary>
public static class CometPanels
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/viz-instance/store/get", GetStore);
        api.MapPost("/write/viz-instance/store/save", SaveStore).Documents<SaveRequest>();
        api.MapPost("/write/template/upload", UploadTemplate);
    }

    public sealed record StoreResponse(string Store);

    public sealed record SaveRequest(string? InstanceId, string? ProjectId, JsonElement Store);

    public sealed record MessageResponse(string Msg);

    public sealed record TemplateResponse(string Msg, string TemplateId, string TemplateName);

    public static async Task<StoreResponse> GetStore(string? projectId, string? instanceId, PanelRepository panels, CancellationToken ct)
    {
        var store = await panels.GetStoreAsync(ProjectId(projectId), instanceId ?? throw CometException.MissingField("instanceId"), ct);
        return new StoreResponse(store.Store);
    }

    /// <summary>The store is kept as the text sent (a JSON string) or, when sent as an object, as its JSON text.</summary>
    public static async Task<MessageResponse> SaveStore(HttpContext http, PanelRepository panels, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<SaveRequest>(http);
        var store = request.Store.ValueKind switch
        {
            JsonValueKind.String => request.Store.GetString()!,
            JsonValueKind.Object or JsonValueKind.Array => request.Store.GetRawText(),
            _ => throw CometException.MissingField("store"),
        };
        await panels.SaveStoreAsync(ProjectId(request.ProjectId), request.InstanceId ?? throw CometException.MissingField("instanceId"), store, ct);
        return new MessageResponse("Stored");
    }

    /// <summary>The panel is the multipart part <c>file</c>; its name is the query's <c>name</c> or the file's own.</summary>
    public static async Task<TemplateResponse> UploadTemplate(
        HttpContext http, string? name, PanelRepository panels, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var limit = options.Value.Blobs.MaxBytes;
        var file = await CometApi.ReadUploadAsync(http, limit, ct);
        try
        {
            await using var content = file.OpenReadStream();
            var template = await panels.UploadTemplateAsync(
                Path.GetFileName(name ?? file.FileName), content, file.ContentType, limit, http.Caller().Identity.UserId, ct);
            return new TemplateResponse("Saved", CometApi.Key(template.Id), template.Name);
        }
        catch (BlobTooLargeException e)
        {
            throw new CometException(413, e.Message);
        }
    }

    private static Guid ProjectId(string? projectId) =>
        CometAssets.OptionalId(projectId ?? throw CometException.MissingField("projectId"), "Project not found")!.Value;
}

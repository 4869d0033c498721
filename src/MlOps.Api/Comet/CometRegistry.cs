using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet experiment models and the model registry. An experiment model is a shared model row (a ClearML
/// OutputModel is one), and a registry version points at one.
/// </summary>
public static class CometRegistry
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/experiment/model", ExperimentModels);
        api.MapGet("/registry-model", List);
        api.MapGet("/registry-model/count", Count);
        api.MapGet("/registry-model/details", Details);
        api.MapGet("/registry-model/notes", Notes);
        api.MapPost("/write/registry-model", Create).Documents<CreateRequest>();
        api.MapPost("/write/registry-model/item", Promote).Documents<CreateRequest>();
        api.MapPost("/write/registry-model/item/update", UpdateVersion).Documents<VersionUpdateRequest>();
        api.MapGet("/write/registry-model/item/delete", DeleteVersion);
        api.MapPost("/write/registry-model/update", Update).Documents<UpdateRequest>();
        api.MapPost("/write/registry-model/notes", SetNotes).Documents<NotesRequest>();
        api.MapGet("/write/registry-model/delete", Delete);
        api.MapGet("/write/registry-model/item/stage", (string? modelItemId, string? stage, RegistryRepository r, CancellationToken ct) =>
            SetStage(modelItemId, stage, true, r, ct));
        api.MapGet("/write/registry-model/item/stage/delete", (string? modelItemId, string? stage, RegistryRepository r, CancellationToken ct) =>
            SetStage(modelItemId, stage, false, r, ct));
    }

    public sealed record RegistryRecord(string RegistryModelId, string RegistryModelItemId, string Version);

    public sealed record ExperimentModel(string ExperimentModelId, string? ExperimentKey, string ModelName, List<RegistryRecord> RegistryRecords);

    public sealed record ExperimentModelsResponse(List<ExperimentModel> Models);

    public sealed record VersionDocument(
        string RegistryModelItemId, ExperimentModel? ExperimentModel, string Version, string? Comment, List<string> Stages, long CreatedAt, string? UserName);

    public sealed record RegistryModelSummary(
        string RegistryModelId, string ModelName, string? Description, VersionDocument? LatestVersion, bool IsPublic, long CreatedAt, long LastUpdated,
        string? UserName);

    public sealed record RegistryModelsResponse(List<RegistryModelSummary> RegistryModels);

    public sealed record CountResponse(int RegistryModelCount);

    public sealed record DetailsResponse(
        string RegistryModelId, string ModelName, string? Description, bool IsPublic, List<VersionDocument> Versions, string? UserName);

    public sealed record NotesResponse(string? Notes);

    public sealed record CreateRequest(string? ExperimentModelId, string? RegistryModelName, string? Description, bool IsPublic, string? Version, string? Comment, List<string>? Stages);

    public sealed record CreatedResponse(string RegistryModelId, string RegistryModelItemId);

    public sealed record VersionUpdateRequest(string? RegistryModelItemId, string? Comment, List<string>? Stages);

    public sealed record UpdateRequest(string? RegistryModelId, string? RegistryModelName, string? Description, bool? IsPublic);

    public sealed record NotesRequest(string? WorkspaceName, string? RegistryModelName, string? Notes);

    public sealed record MessageResponse(string Msg);

    public static async Task<ExperimentModelsResponse> ExperimentModels(
        string? experimentKey, string? modelName, ExperimentRepository experiments, ModelRepository models, RegistryRepository registry, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        await experiments.GetAsync(id, ct);
        var found = (await models.QueryAsync(new ModelQuery { ExperimentIds = [id] }, ct)).Where(m => modelName is null || m.Name == modelName).ToList();
        var records = await RecordsAsync(registry, ct);
        return new ExperimentModelsResponse([.. found.Select(m => Describe(m, records))]);
    }

    public static async Task<RegistryModelsResponse> List(
        HttpContext http, string? workspaceName, RegistryRepository registry, ModelRepository models, UserRepository users, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var views = await registry.ListAsync(ct);
        var names = await UserNamesAsync(views, users, ct);
        var documents = await VersionDocumentsAsync(views.SelectMany(v => v.Versions), names, models, registry, ct);
        return new RegistryModelsResponse([.. views.Select(v => new RegistryModelSummary(
            CometApi.Key(v.Model.Id), v.Model.Name, v.Model.Description,
            v.Versions.Count == 0 ? null : documents[v.Versions[^1].Id],
            v.Model.IsPublic, CometMapping.Millis(v.Model.CreatedAt), CometMapping.Millis(v.Model.LastUpdate), UserName(v.Model.UserId, names)))]);
    }

    public static async Task<CountResponse> Count(HttpContext http, string? workspaceName, RegistryRepository registry, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        return new CountResponse(await registry.CountAsync(ct));
    }

    public static async Task<DetailsResponse> Details(
        HttpContext http, string? workspaceName, string? modelName, RegistryRepository registry, ModelRepository models, UserRepository users, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var view = await registry.GetAsync(modelName ?? throw CometException.MissingField("modelName"), ct);
        var names = await UserNamesAsync([view], users, ct);
        var documents = await VersionDocumentsAsync(view.Versions, names, models, registry, ct);
        return new DetailsResponse(
            CometApi.Key(view.Model.Id), view.Model.Name, view.Model.Description, view.Model.IsPublic, [.. view.Versions.Select(v => documents[v.Id])],
            UserName(view.Model.UserId, names));
    }

    public static async Task<NotesResponse> Notes(HttpContext http, string? workspaceName, string? modelName, RegistryRepository registry, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        return new NotesResponse((await registry.FindAsync(modelName ?? throw CometException.MissingField("modelName"), ct)).Notes);
    }

    public static async Task<CreatedResponse> Create(HttpContext http, RegistryRepository registry, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CreateRequest>(http);
        var (model, version) = await registry.CreateAsync(
            request.RegistryModelName ?? throw CometException.MissingField("registryModelName"), request.Description, request.IsPublic,
            ModelId(request.ExperimentModelId), request.Version ?? "1.0.0", request.Comment, request.Stages, http.Caller().Identity.UserId, ct);
        return new CreatedResponse(CometApi.Key(model.Id), CometApi.Key(version.Id));
    }

    public static async Task<CreatedResponse> Promote(HttpContext http, RegistryRepository registry, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CreateRequest>(http);
        var (model, version) = await registry.PromoteAsync(
            request.RegistryModelName ?? throw CometException.MissingField("registryModelName"),
            ModelId(request.ExperimentModelId), request.Version ?? throw CometException.MissingField("version"), request.Comment, request.Stages,
            http.Caller().Identity.UserId, ct);
        return new CreatedResponse(CometApi.Key(model.Id), CometApi.Key(version.Id));
    }

    /// <summary>A stage change here, as anywhere, is announced to the workspace's webhooks (<see cref="WebhookNotifier"/>).</summary>
    public static async Task<MessageResponse> UpdateVersion(HttpContext http, RegistryRepository registry, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<VersionUpdateRequest>(http);
        await registry.UpdateVersionAsync(ItemId(request.RegistryModelItemId), request.Comment, request.Stages, ct);
        return new MessageResponse("200 Ok");
    }

    public static async Task<MessageResponse> DeleteVersion(string? modelItemId, RegistryRepository registry, CancellationToken ct)
    {
        await registry.DeleteVersionAsync(ItemId(modelItemId), ct);
        return new MessageResponse("200 Ok");
    }

    public static async Task<MessageResponse> Update(HttpContext http, RegistryRepository registry, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<UpdateRequest>(http);
        var id = Guid.TryParse(request.RegistryModelId ?? throw CometException.MissingField("registryModelId"), out var parsed)
            ? parsed : throw new CometException(404, "Registry model not found");
        await registry.UpdateAsync(id, request.RegistryModelName, request.Description, request.IsPublic, null, ct);
        return new MessageResponse("200 Ok");
    }

    public static async Task<MessageResponse> SetNotes(HttpContext http, RegistryRepository registry, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<NotesRequest>(http);
        CometWorkspaces.RequireWorkspace(http, request.WorkspaceName);
        var model = await registry.FindAsync(request.RegistryModelName ?? throw CometException.MissingField("registryModelName"), ct);
        await registry.UpdateAsync(model.Id, null, null, null, request.Notes ?? throw CometException.MissingField("notes"), ct);
        return new MessageResponse("200 Ok");
    }

    public static async Task<MessageResponse> Delete(HttpContext http, string? workspaceName, string? modelName, RegistryRepository registry, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        await registry.DeleteAsync(modelName ?? throw CometException.MissingField("modelName"), ct);
        return new MessageResponse("200 Ok");
    }

    public static async Task<MessageResponse> SetStage(string? modelItemId, string? stage, bool present, RegistryRepository registry, CancellationToken ct)
    {
        await registry.SetStageAsync(ItemId(modelItemId), string.IsNullOrEmpty(stage) ? throw CometException.MissingField("stage") : stage, present, ct);
        return new MessageResponse("200 Ok");
    }

    private static async Task<Dictionary<Guid, VersionDocument>> VersionDocumentsAsync(
        IEnumerable<RegisteredModelVersion> versions, Dictionary<Guid, string> userNames, ModelRepository models, RegistryRepository registry, CancellationToken ct)
    {
        var list = versions.ToList();
        var modelIds = list.Select(v => v.ModelId).OfType<Guid>().Distinct().ToList();
        var experimentModels = modelIds.Count == 0 ? [] : (await models.QueryAsync(new ModelQuery { Ids = modelIds }, ct)).ToDictionary(m => m.Id);
        var records = await RecordsAsync(registry, ct);
        return list.ToDictionary(v => v.Id, v => new VersionDocument(
            CometApi.Key(v.Id),
            v.ModelId is { } id && experimentModels.TryGetValue(id, out var m) ? Describe(m, records) : null,
            v.Version, v.Comment, v.Stages, CometMapping.Millis(v.CreatedAt), UserName(v.UserId, userNames)));
    }

    /// <summary>Who created each registry model and version of these views.</summary>
    private static Task<Dictionary<Guid, string>> UserNamesAsync(IEnumerable<RegisteredModelView> views, UserRepository users, CancellationToken ct) =>
        CometWorkspaces.UserNamesAsync(views.SelectMany(v => v.Versions.Select(version => version.UserId).Append(v.Model.UserId)), users, ct);

    private static string? UserName(Guid? userId, Dictionary<Guid, string> names) => userId is { } id ? names.GetValueOrDefault(id) : null;

    /// <summary>Which registry versions point at each experiment model.</summary>
    private static async Task<ILookup<Guid, RegistryRecord>> RecordsAsync(RegistryRepository registry, CancellationToken ct) =>
        (await registry.ListAsync(ct))
            .SelectMany(view => view.Versions.Where(v => v.ModelId is not null)
                .Select(v => (Model: v.ModelId!.Value, Record: new RegistryRecord(CometApi.Key(view.Model.Id), CometApi.Key(v.Id), v.Version))))
            .ToLookup(x => x.Model, x => x.Record);

    private static ExperimentModel Describe(Model m, ILookup<Guid, RegistryRecord> records) =>
        new(CometApi.Key(m.Id), m.ExperimentId is { } e ? CometApi.Key(e) : null, m.Name, [.. records[m.Id]]);

    private static Guid? ModelId(string? id) =>
        id is null ? null : Guid.TryParse(id, out var parsed) ? parsed : throw new CometException(404, "Experiment model not found");

    private static Guid ItemId(string? id) =>
        Guid.TryParse(id ?? throw CometException.MissingField("modelItemId"), out var parsed) ? parsed : throw new CometException(404, "Registry model version not found");
}

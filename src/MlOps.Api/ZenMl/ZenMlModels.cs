using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>Models and model versions: the shared registry (Comet's registry models are the same rows).</summary>
public static class ZenMlModels
{
    private static readonly string[] Stages = ["none", .. RegistryRepository.ExclusiveStages];

    private sealed record ModelRequest(
        string? Name, string? Description, string? License, string? EthicalConsiderations, string? TradeOffs, string? Limitations,
        string? Audience, string? UseCases);

    private sealed record ModelOut(
        Guid Id, string Name, string? Description, string? License, string? EthicalConsiderations, string? TradeOffs, string? Limitations,
        string? Audience, string? UseCases, DateTime Created);

    private sealed record ModelVersionRequest(Guid? ModelId, string? Name, string? Description, string? Stage);

    private sealed record VersionOut(Guid Id, Guid ModelId, string Name, int Number, string Stage, string? Description, DateTime Created);

    private static readonly FieldFilters<RegisteredModel> ModelFields = new FieldFilters<RegisteredModel>()
        .Add("id", m => m.Id).Add("name", m => m.Name).Add("license", m => m.License).Add("user_id", m => m.UserId)
        .Add("created", m => m.CreatedAt).Add("updated", m => m.LastUpdate);

    private static readonly FieldFilters<RegisteredModelVersion> VersionFields = new FieldFilters<RegisteredModelVersion>()
        .Add("id", v => v.Id).Add("model_id", v => v.RegisteredModelId).Add("name", v => v.Version).Add("number", v => v.Number)
        .Add("user_id", v => v.UserId).Add("created", v => v.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/models", async (HttpContext http, ProjectRepository projects, ReadSide reads) =>
        {
            // The default project may be created on the way (a write), so projects stay on the primary.
            var registry = await reads.GetAsync<RegistryRepository>(http.RequestAborted);
            var shapes = await ZenMlModelShapes.LoadAsync(http, registry, projects);
            return await ZenMlApi.PageAsync(http, registry.Models, ModelFields, m => m.Id, m => Render(http, shapes, m));
        });
        api.MapPost("/models", async (HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var body = await ZenMlApi.ReadAsync<ModelRequest>(http);
            ZenMlApi.Required(body.Name, "name");
            var model = await registry.CreateModelAsync(Card(body), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), model));
        }).Documents<ModelRequest>(ZenMlApi.Json);
        api.MapGet("/models/{model_name_or_id}", async (string model_name_or_id, HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var model = await ModelAsync(model_name_or_id, registry, http.RequestAborted);
            return Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), model);
        });
        api.MapPut("/models/{model_name_or_id}", async (string model_name_or_id, HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var model = await ModelAsync(model_name_or_id, registry, http.RequestAborted);
            var updated = await registry.UpdateModelAsync(model.Id, Card(await ZenMlApi.ReadAsync<ModelRequest>(http)), http.RequestAborted);
            return Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), updated);
        }).Documents<ModelRequest>(ZenMlApi.Json);
        api.MapDelete("/models/{model_name_or_id}", async (string model_name_or_id, HttpContext http, RegistryRepository registry) =>
        {
            var model = await ModelAsync(model_name_or_id, registry, http.RequestAborted);
            await registry.DeleteModelAsync(model.Id, http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/model_versions", async (HttpContext http, ProjectRepository projects, ReadSide reads) =>
        {
            // The default project may be created on the way (a write), so projects stay on the primary.
            var registry = await reads.GetAsync<RegistryRepository>(http.RequestAborted);
            var shapes = await ZenMlModelShapes.LoadAsync(http, registry, projects);
            return await ZenMlApi.PageAsync(http, registry.Versions, VersionFields, v => v.Id, v => Render(http, shapes, v));
        });
        api.MapPost("/model_versions", async (HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var body = await ZenMlApi.ReadAsync<ModelVersionRequest>(http);
            var modelId = body.ModelId ?? throw ZenMlException.Invalid("field required", "body", "model_id");
            var version = await registry.AddVersionAsync(modelId, body.Name, body.Description,
                ZenMlApi.OneOf(body.Stage, "stage", Stages), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), version));
        }).Documents<ModelVersionRequest>(ZenMlApi.Json);
        api.MapGet("/model_versions/{model_version_id}", async (string model_version_id, HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var version = await registry.GetVersionAsync(ZenMlApi.PathId(model_version_id, "model_version_id"), http.RequestAborted);
            return Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), version);
        });
        api.MapPut("/model_versions/{model_version_id}", async (string model_version_id, HttpContext http, RegistryRepository registry, ProjectRepository projects) =>
        {
            var id = ZenMlApi.PathId(model_version_id, "model_version_id");
            var body = await ZenMlApi.ReadAsync<ModelVersionRequest>(http);
            var version = await registry.UpdateVersionAsync(id, body.Name, body.Description, ZenMlApi.OneOf(body.Stage, "stage", Stages), http.RequestAborted);
            return Render(http, await ZenMlModelShapes.LoadAsync(http, registry, projects), version);
        }).Documents<ModelVersionRequest>(ZenMlApi.Json);
        api.MapDelete("/model_versions/{model_version_id}", async (string model_version_id, HttpContext http, RegistryRepository registry) =>
        {
            await registry.DeleteVersionAsync(ZenMlApi.PathId(model_version_id, "model_version_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static async Task<RegisteredModel> ModelAsync(string nameOrId, RegistryRepository registry, CancellationToken ct) =>
        Guid.TryParse(nameOrId, out var id) ? await registry.GetModelAsync(id, ct) : await registry.FindAsync(nameOrId, ct);

    private static ModelCard Card(ModelRequest b) =>
        new(b.Name, b.Description, b.License, b.EthicalConsiderations, b.TradeOffs, b.Limitations, b.Audience, b.UseCases);

    private static JsonObject Render(HttpContext http, ZenMlModelShapes shapes, RegisteredModel m) => shapes.Model(http, m,
        new ModelOut(m.Id, m.Name, m.Description, m.License, m.EthicalConsiderations, m.TradeOffs, m.Limitations, m.Audience, m.UseCases, m.CreatedAt));

    private static JsonObject Render(HttpContext http, ZenMlModelShapes shapes, RegisteredModelVersion v) => shapes.Version(http, v,
        new VersionOut(v.Id, v.RegisteredModelId, v.Version, v.Number, RegistryRepository.ExclusiveStage(v), v.Comment, v.CreatedAt));
}

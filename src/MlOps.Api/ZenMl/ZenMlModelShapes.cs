using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Models and model versions in ZenML's shape: the model card in <c>metadata</c>, the latest version in
/// <c>resources</c>, a version's model nested in its <c>body</c>. The registry is not per project, so every model reads
/// as the default project's. Loaded once per request: the workspace's models and each one's latest version.
/// </summary>
public sealed class ZenMlModelShapes
{
    private sealed record ModelBody(DateTime Created, DateTime Updated, Guid? UserId, Guid ProjectId);

    private sealed record ModelMetadata(
        string? License, string? Description, string? Audience, string? UseCases, string? Limitations, string? TradeOffs, string? Ethics,
        bool SaveModelsToRegistry);

    private sealed record VersionBody(DateTime Created, DateTime Updated, Guid? UserId, Guid ProjectId, string? Stage, int Number, JsonObject Model);

    private sealed record VersionMetadata(string? Description, JsonObject RunMetadata);

    private sealed record Latest(Guid ModelId, Guid Id, string Version, int Number);

    private readonly Dictionary<Guid, RegisteredModel> _models;
    private readonly Dictionary<Guid, Latest> _latest;
    private readonly Guid _projectId;

    private ZenMlModelShapes(Dictionary<Guid, RegisteredModel> models, Dictionary<Guid, Latest> latest, Guid projectId)
    {
        _models = models;
        _latest = latest;
        _projectId = projectId;
    }

    public static async Task<ZenMlModelShapes> LoadAsync(HttpContext http, RegistryRepository registry, ProjectRepository projects)
    {
        var ct = http.RequestAborted;
        var project = await ZenMlProjects.FindAsync(ZenMlProjects.DefaultProject, projects, http);
        var models = await registry.Models.ToDictionaryAsync(m => m.Id, ct);
        var versions = await registry.Versions.Select(v => new Latest(v.RegisteredModelId, v.Id, v.Version, v.Number)).ToListAsync(ct);
        var latest = versions.GroupBy(v => v.ModelId).ToDictionary(g => g.Key, g => g.MaxBy(v => v.Number)!);
        return new ZenMlModelShapes(models, latest, project.Id);
    }

    public JsonObject Model(HttpContext http, RegisteredModel m, object flat)
    {
        var view = ZenMlView.Of(http);
        var latest = _latest.GetValueOrDefault(m.Id);
        return view.Entity(flat, new ModelBody(m.CreatedAt, m.LastUpdate, m.UserId, _projectId),
            new ModelMetadata(m.License, m.Description, m.Audience, m.UseCases, m.Limitations, m.TradeOffs, m.EthicalConsiderations, false),
            view.Resources(m.UserId, new { tags = Array.Empty<object>(), latest_version_name = latest?.Version, latest_version_id = latest?.Id }));
    }

    public JsonObject Version(HttpContext http, RegisteredModelVersion v, object flat)
    {
        var view = ZenMlView.Of(http);
        var model = _models.TryGetValue(v.RegisteredModelId, out var m)
            ? ZenMlView.Node(new { id = m.Id, name = m.Name, body = new ModelBody(m.CreatedAt, m.LastUpdate, m.UserId, _projectId), resources = new JsonObject() })
            : new JsonObject { ["id"] = v.RegisteredModelId.ToString() };
        var stage = RegistryRepository.ExclusiveStage(v);
        return view.Entity(flat, new VersionBody(v.CreatedAt, v.CreatedAt, v.UserId, _projectId, stage == "none" ? null : stage, v.Number, model),
            new VersionMetadata(v.Comment, new JsonObject()),
            view.Resources(v.UserId, new { services = new { index = 1, max_size = 20, total_pages = 1, total = 0, items = Array.Empty<object>() }, tags = Array.Empty<object>() }));
    }
}

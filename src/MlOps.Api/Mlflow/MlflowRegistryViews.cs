using Microsoft.EntityFrameworkCore;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using RegisteredModel = MlOps.Api.Mlflow.Contracts.RegisteredModel;
using RegisteredModelRow = MlOps.Data.Entities.RegisteredModel;

namespace MlOps.Api.Mlflow;

/// <summary>
/// The shared registry as MLflow's registered models and model versions: a version's source and run are those of
/// the experiment model it points at, its stage the exclusive stage it holds, its aliases and tags its own.
/// </summary>
public sealed class MlflowRegistryViews(RegistryRepository registry, ModelRepository models, NameLookup names)
{
    public async Task<RegisteredModelRow> ModelAsync(string name, CancellationToken ct) =>
        await registry.Models.SingleOrDefaultAsync(m => m.Name == name, ct)
        ?? throw MlflowException.NotFound($"Registered Model with name={name} not found");

    public async Task<(RegisteredModelRow Model, RegisteredModelVersion Version)> VersionAsync(string name, string version, CancellationToken ct)
    {
        var model = await ModelAsync(name, ct);
        return (model, await registry.Versions.SingleOrDefaultAsync(v => v.RegisteredModelId == model.Id && v.Version == version, ct)
            ?? throw MlflowException.NotFound($"Model Version (name={name}, version={version}) not found"));
    }

    public async Task<RegisteredModel> OneAsync(RegisteredModelRow model, CancellationToken ct) => (await ManyAsync([model], ct))[0];

    public async Task<List<RegisteredModel>> ManyAsync(IReadOnlyList<RegisteredModelRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(m => m.Id).ToList();
        var versions = await registry.Versions.Where(v => ids.Contains(v.RegisteredModelId)).ToListAsync(ct);
        var views = (await VersionViewsAsync(rows, versions, ct)).ToDictionary(v => (v.Name, v.Version));
        var users = await UsersAsync(rows.Select(m => m.UserId), ct);
        return [.. rows.Select(m =>
        {
            var own = versions.Where(v => v.RegisteredModelId == m.Id).ToList();
            return new RegisteredModel(
                m.Name, MlflowMapping.Millis(m.CreatedAt), MlflowMapping.Millis(m.LastUpdate), User(users, m.UserId), m.Description,
                [.. Latest(own, []).Select(v => views[(m.Name, v.Version)])],
                [.. m.Properties.Select(p => new KeyValue(p.Key, p.Value))],
                [.. own.SelectMany(v => v.Aliases.Select(a => new ModelVersionAlias(a, v.Version))).OrderBy(a => a.Alias, StringComparer.Ordinal)]);
        })];
    }

    public async Task<ModelVersion> VersionViewAsync(RegisteredModelRow model, RegisteredModelVersion version, CancellationToken ct) =>
        (await VersionViewsAsync([model], [version], ct))[0];

    public async Task<List<ModelVersion>> VersionViewsAsync(IReadOnlyList<RegisteredModelRow> owners, IReadOnlyList<RegisteredModelVersion> versions, CancellationToken ct)
    {
        var modelIds = versions.Where(v => v.ModelId is not null).Select(v => v.ModelId!.Value).Distinct().ToList();
        var sources = modelIds.Count == 0 ? [] : (await models.QueryAsync(new ModelQuery { Ids = modelIds, Page = new Data.Querying.Page(0, modelIds.Count) }, ct)).ToDictionary(m => m.Id);
        var users = await UsersAsync(versions.Select(v => v.UserId), ct);
        var nameOf = owners.ToDictionary(m => m.Id, m => m.Name);
        return [.. versions.Select(v =>
        {
            var source = v.ModelId is { } id ? sources.GetValueOrDefault(id) : null;
            return new ModelVersion(
                nameOf[v.RegisteredModelId], v.Version, MlflowMapping.Millis(v.CreatedAt), MlflowMapping.Millis(v.LastUpdate > v.CreatedAt ? v.LastUpdate : v.CreatedAt),
                User(users, v.UserId), MlflowMapping.Stage(v), v.Comment, source?.Uri, source?.ExperimentId is { } run ? MlflowMapping.Id(run) : null,
                "READY", null, [.. v.Properties.Select(p => new KeyValue(p.Key, p.Value))], [.. v.Aliases]);
        })];
    }

    /// <summary>The newest version in each stage (of <paramref name="stages"/>, or all), as MLflow's get-latest-versions.</summary>
    public static List<RegisteredModelVersion> Latest(IEnumerable<RegisteredModelVersion> versions, IReadOnlyList<string> stages) =>
        [.. versions.GroupBy(MlflowMapping.Stage)
            .Where(g => stages.Count == 0 || stages.Any(s => s.Equals(g.Key, StringComparison.OrdinalIgnoreCase)))
            .Select(g => g.MaxBy(v => v.Number)!)
            .OrderBy(v => v.Number)];

    private async Task<Dictionary<Guid, string>> UsersAsync(IEnumerable<Guid?> ids, CancellationToken ct) =>
        await names.UsersAsync([.. ids.Where(i => i is not null).Select(i => i!.Value).Distinct()], ct);

    private static string? User(Dictionary<Guid, string> users, Guid? id) => id is { } user ? users.GetValueOrDefault(user) : null;
}

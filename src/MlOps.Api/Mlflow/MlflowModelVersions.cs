using Microsoft.EntityFrameworkCore;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>
/// MLflow model versions: each is a version of the shared registry pointing at an experiment model (created here from
/// the version's source and run, so ClearML and Comet see the run's model too).
/// </summary>
public static class MlflowModelVersions
{
    private static readonly HashSet<string> NumericAttributes = ["version_number", "creation_timestamp", "last_updated_timestamp"];
    private static readonly HashSet<string> OrderAttributes = ["name", "version_number", "creation_timestamp", "last_updated_timestamp", "timestamp"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/model-versions/create", Create);
        api.MapGet("/model-versions/get", Get);
        api.MapPatch("/model-versions/update", Update);
        api.MapDelete("/model-versions/delete", Delete);
        api.MapGet("/model-versions/search", Search);
        api.MapPost("/model-versions/transition-stage", TransitionStage);
        api.MapGet("/model-versions/get-download-uri", DownloadUri);
        api.MapPost("/model-versions/set-tag", SetTag);
        api.MapDelete("/model-versions/delete-tag", DeleteTag);
    }

    private static async Task<object> Create(
        HttpContext http, Caller caller, RegistryRepository registry, ModelRepository models, ExperimentRepository runs, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var registered = await views.ModelAsync(request.Required("name"), ct);
        var source = MlflowApi.Value(request.Required("source"), 65535, "Source");
        var tags = MlflowRunData.Tags(request.Objects("tags"));
        var run = request.String("run_id") is { Length: > 0 } runId ? await MlflowRuns.FindAsync(runs, MlflowMapping.RunId(runId), ct) : null;
        var model = await models.CreateAsync(new ModelChanges
        {
            Name = registered.Name, Uri = source, ExperimentId = run?.Id, ProjectId = run?.ProjectId, Ready = true, Framework = "mlflow",
        }, caller.UserId, ct);
        var version = await registry.AddNumberedVersionAsync(
            registered.Id, model.Id, request.String("description"), tags.ToDictionary(t => t.Key, t => t.Value), caller.UserId, ct);
        return new { model_version = await views.VersionViewAsync(registered, version, ct) };
    }

    private static async Task<object> Get(HttpContext http, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        return new { model_version = await views.VersionViewAsync(model, version, ct) };
    }

    private static async Task<object> Update(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var updated = await registry.UpdateVersionAsync(version.Id, null, request.String("description") ?? "", null, ct);
        return new { model_version = await views.VersionViewAsync(model, updated, ct) };
    }

    private static async Task<object> Delete(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (_, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        await registry.DeleteVersionAsync(version.Id, ct);
        return new { };
    }

    private static async Task<object> Search(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var clauses = MlflowFilter.Parse(request.String("filter"), NumericAttributes);
        var order = request.Strings("order_by").Select(o => MlflowFilter.ParseOrder(o, OrderAttributes)).ToList();
        var size = request.MaxResults(10000, 200000);
        var owners = await registry.Models.ToListAsync(ct);
        var found = (await views.VersionViewsAsync(owners, await registry.Versions.ToListAsync(ct), ct))
            .Where(v => clauses.All(c => MlflowFilter.Matches(c, Lookup(v, c.Entity, c.Key))))
            .ToList();
        var keys = order.Append(new OrderKey(MlflowFilter.Attribute, "name", Ascending: true))
            .Append(new OrderKey(MlflowFilter.Attribute, "version_number", Ascending: false)).ToList();
        var ordered = found.Order(Comparer<ModelVersion>.Create((a, b) =>
            keys.Select(k => MlflowFilter.Compare(Lookup(a, k.Entity, k.Key), Lookup(b, k.Entity, k.Key), k.Ascending)).FirstOrDefault(c => c != 0))).ToList();
        var (page, next) = MlflowApi.Page(ordered, request.String("page_token"), size);
        return new { model_versions = page, next_page_token = next };
    }

    /// <summary>
    /// Moves the version to the stage. A stage is held by one version of a model at a time in the shared registry (as
    /// in ZenML), so the version that held it leaves it: to Archived with <c>archive_existing_versions</c>, else to None.
    /// </summary>
    private static async Task<object> TransitionStage(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var stage = MlflowMapping.StageOf(request.Required("stage"));
        if (request.Bool("archive_existing_versions") == true && stage is "staging" or "production")
        {
            foreach (var holder in await registry.Versions.Where(v => v.RegisteredModelId == model.Id && v.Id != version.Id).ToListAsync(ct))
            {
                if (RegistryRepository.ExclusiveStage(holder) == stage)
                {
                    await registry.UpdateVersionAsync(holder.Id, null, null, "archived", ct);
                }
            }
        }
        var moved = await registry.UpdateVersionAsync(version.Id, null, null, stage, ct);
        return new { model_version = await views.VersionViewAsync(model, moved, ct) };
    }

    private static async Task<object> DownloadUri(HttpContext http, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        return new { artifact_uri = (await views.VersionViewAsync(model, version, ct)).Source ?? "" };
    }

    private static async Task<object> SetTag(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (_, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var key = MlflowApi.Key(request.Required("key"), "Model version tag");
        var value = MlflowApi.Value(request.String("value"), MlflowApi.MaxTagValueLength, "Model version tag");
        await registry.SetVersionPropertiesAsync(version.Id, p => p[key] = value, ct);
        return new { };
    }

    private static async Task<object> DeleteTag(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (_, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var key = request.Required("key");
        if (!version.Properties.ContainsKey(key))
        {
            throw MlflowException.NotFound($"Model version tag with name={key} not found");
        }
        await registry.SetVersionPropertiesAsync(version.Id, p => p.Remove(key), ct);
        return new { };
    }

    private static object? Lookup(ModelVersion version, string entity, string key) => (entity, key) switch
    {
        (MlflowFilter.Tag, _) => version.Tags.FirstOrDefault(t => t.Key == key)?.Value,
        (_, "name") => version.Name,
        (_, "run_id") => version.RunId,
        (_, "source_path") => version.Source,
        (_, "version_number") => double.TryParse(version.Version, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null,
        (_, "creation_timestamp") => (double)version.CreationTimestamp,
        (_, "last_updated_timestamp" or "timestamp") => (double)version.LastUpdatedTimestamp,
        _ => throw MlflowException.Invalid($"Invalid attribute key '{key}' specified. Valid keys are 'name', 'run_id', 'source_path'"),
    };
}

using Microsoft.EntityFrameworkCore;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>MLflow registered models on the shared registry (Comet's registry models, ZenML's models).</summary>
public static class MlflowRegisteredModels
{
    private static readonly HashSet<string> NumericAttributes = ["creation_timestamp", "last_updated_timestamp"];
    private static readonly HashSet<string> OrderAttributes = ["name", "creation_timestamp", "last_updated_timestamp", "timestamp"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/registered-models/create", Create);
        api.MapGet("/registered-models/get", Get);
        api.MapPost("/registered-models/rename", Rename);
        api.MapPatch("/registered-models/update", Update);
        api.MapDelete("/registered-models/delete", Delete);
        api.MapGet("/registered-models/search", Search);
        api.MapPost("/registered-models/get-latest-versions", LatestVersions);
        api.MapGet("/registered-models/get-latest-versions", LatestVersions);
        api.MapPost("/registered-models/set-tag", SetTag);
        api.MapDelete("/registered-models/delete-tag", DeleteTag);
        api.MapPost("/registered-models/alias", SetAlias);
        api.MapDelete("/registered-models/alias", DeleteAlias);
        api.MapGet("/registered-models/alias", ByAlias);
    }

    private static async Task<object> Create(HttpContext http, Caller caller, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var name = Name(request.Required("name"));
        var tags = MlflowRunData.Tags(request.Objects("tags"));
        if (await registry.Models.AnyAsync(m => m.Name == name, ct))
        {
            throw MlflowException.Exists($"Registered Model (name={name}) already exists.");
        }
        var model = await registry.CreateModelAsync(new ModelCard(name, request.String("description")), caller.UserId, ct);
        if (tags.Count > 0)
        {
            await registry.SetPropertiesAsync(model.Id, p => tags.ForEach(t => p[t.Key] = t.Value), ct);
        }
        return new { registered_model = await views.OneAsync(await views.ModelAsync(name, ct), ct) };
    }

    private static async Task<object> Get(HttpContext http, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        return new { registered_model = await views.OneAsync(await views.ModelAsync(request.Required("name"), ct), ct) };
    }

    private static async Task<object> Rename(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var renamed = await registry.UpdateModelAsync(model.Id, new ModelCard(Name(request.Required("new_name")), null), ct);
        return new { registered_model = await views.OneAsync(renamed, ct) };
    }

    private static async Task<object> Update(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var updated = await registry.UpdateModelAsync(model.Id, new ModelCard(null, request.String("description") ?? ""), ct);
        return new { registered_model = await views.OneAsync(updated, ct) };
    }

    private static async Task<object> Delete(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var model = await views.ModelAsync((await MlflowRequest.ReadAsync(http)).Required("name"), ct);
        await registry.DeleteModelAsync(model.Id, ct);
        return new { };
    }

    private static async Task<object> Search(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var clauses = MlflowFilter.Parse(request.String("filter"), NumericAttributes);
        var order = request.Strings("order_by").Select(o => MlflowFilter.ParseOrder(o, OrderAttributes)).ToList();
        var size = request.MaxResults(100, 1000);
        var found = (await views.ManyAsync(await registry.Models.ToListAsync(ct), ct))
            .Where(m => clauses.All(c => MlflowFilter.Matches(c, Lookup(m, c.Entity, c.Key))))
            .ToList();
        var keys = order.Append(new OrderKey(MlflowFilter.Attribute, "name", Ascending: true)).ToList();
        var ordered = found.Order(Comparer<RegisteredModel>.Create((a, b) =>
            keys.Select(k => MlflowFilter.Compare(Lookup(a, k.Entity, k.Key), Lookup(b, k.Entity, k.Key), k.Ascending)).FirstOrDefault(c => c != 0))).ToList();
        var (page, next) = MlflowApi.Page(ordered, request.String("page_token"), size);
        return new { registered_models = page, next_page_token = next };
    }

    private static async Task<object> LatestVersions(HttpContext http, MlflowRegistryViews views, RegistryRepository registry, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var stages = request.Strings("stages").Select(MlflowMapping.StageOf).ToList();
        var latest = MlflowRegistryViews.Latest(await registry.Versions.Where(v => v.RegisteredModelId == model.Id).ToListAsync(ct), stages);
        return new { model_versions = await views.VersionViewsAsync([model], latest, ct) };
    }

    private static async Task<object> SetTag(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var key = MlflowApi.Key(request.Required("key"), "Registered model tag");
        var value = MlflowApi.Value(request.String("value"), MlflowApi.MaxTagValueLength, "Registered model tag");
        await registry.SetPropertiesAsync(model.Id, p => p[key] = value, ct);
        return new { };
    }

    private static async Task<object> DeleteTag(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var key = request.Required("key");
        if (!model.Properties.ContainsKey(key))
        {
            throw MlflowException.NotFound($"Registered model tag with name={key} not found");
        }
        await registry.SetPropertiesAsync(model.Id, p => p.Remove(key), ct);
        return new { };
    }

    private static async Task<object> SetAlias(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var alias = Alias(request.Required("alias"));
        await registry.SetAliasAsync(model.Id, alias, version.Id, ct);
        return new { };
    }

    private static async Task<object> DeleteAlias(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        await registry.SetAliasAsync(model.Id, request.Required("alias"), null, ct);
        return new { };
    }

    private static async Task<object> ByAlias(HttpContext http, RegistryRepository registry, MlflowRegistryViews views, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var model = await views.ModelAsync(request.Required("name"), ct);
        var alias = request.Required("alias");
        var version = (await registry.Versions.Where(v => v.RegisteredModelId == model.Id).ToListAsync(ct)).FirstOrDefault(v => v.Aliases.Contains(alias))
            ?? throw MlflowException.NotFound($"Registered model alias {alias} not found.");
        return new { model_version = await views.VersionViewAsync(model, version, ct) };
    }

    private static object? Lookup(RegisteredModel model, string entity, string key) => (entity, key) switch
    {
        (MlflowFilter.Tag, _) => model.Tags.FirstOrDefault(t => t.Key == key)?.Value,
        (_, "name") => model.Name,
        (_, "creation_timestamp") => (double)model.CreationTimestamp,
        (_, "last_updated_timestamp" or "timestamp") => (double)model.LastUpdatedTimestamp,
        _ => throw MlflowException.Invalid($"Invalid attribute key '{key}' specified. Valid keys are '{{'name'}}'"),
    };

    public static string Name(string name) =>
        name.Length > MlflowApi.MaxNameLength || name.Any(char.IsControl)
            ? throw MlflowException.Invalid($"Invalid registered model name '{(name.Length > 50 ? name[..50] + "..." : name)}'")
            : name;

    /// <summary>MLflow reserves <c>latest</c> and version-like names (<c>v1</c>) for itself.</summary>
    private static string Alias(string alias) =>
        alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || (alias.Length > 1 && (alias[0] is 'v' or 'V') && alias[1..].All(char.IsAsciiDigit))
        || alias.Length > MlflowApi.MaxKeyLength
            ? throw MlflowException.Invalid($"Invalid alias name: '{alias}'. Aliases cannot be 'latest', a version ('v1') or longer than {MlflowApi.MaxKeyLength} characters.")
            : alias;
}

using System.Text.Json.Nodes;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Artifact versions in ZenML's shape (the run page's artifact nodes open them): the version with its artifact nested in
/// <c>body</c>, the materializer and data type as ZenML sources, tags and the producing step in <c>resources</c>.
/// <c>/artifacts</c> answers the same items (each is one version there, README "ZenML").
/// </summary>
public static class ZenMlArtifactVersions
{
    private sealed record Source(string Module, string Attribute, string Type);

    private sealed record ArtifactBody(DateTime Created, DateTime Updated, List<JsonObject> Tags, string LatestVersionName, Guid LatestVersionId);

    private sealed record VersionBody(
        DateTime Created, DateTime Updated, Guid? UserId, Guid? ProjectId, JsonObject Artifact, string Version, string Uri, string Type,
        Source Materializer, Source DataType, string SaveType);

    private sealed record VersionMetadata(List<object> Visualizations, JsonObject RunMetadata);

    public static readonly FieldFilters<ArtifactVersionRow> Fields = new FieldFilters<ArtifactVersionRow>()
        .Add("id", r => r.Version.Id).Add("name", r => r.Name).Add("artifact_id", r => r.Version.ArtifactId).Add("version", r => r.Version.Version)
        .Add("type", r => r.Type).Add("uri", r => r.Version.Uri).Add("materializer", r => r.Version.Materializer)
        .Add("producer_step_run_id", r => r.Version.ProducerStepRunId).Add("project_id", r => r.ProjectId)
        .Add("user_id", r => r.Version.UserId).Add("user", r => r.Version.UserId)
        .Add("created", r => r.Version.CreatedAt).Add("updated", r => r.Version.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/artifact_versions", async (HttpContext http, ReadSide reads) =>
        {
            var artifacts = await reads.GetAsync<ArtifactRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, artifacts.VersionRows, Fields, r => r.Version.Id, r => Render(http, r, null));
        });
        api.MapGet("/artifact_versions/{artifact_version_id}", async (string artifact_version_id, HttpContext http, ArtifactRepository artifacts) =>
            Render(http, await artifacts.GetVersionRowAsync(ZenMlApi.PathId(artifact_version_id, "artifact_version_id"), http.RequestAborted), null));
    }

    /// <summary>The version in ZenML's nested shape, with <paramref name="flat"/> (the seed's fields) at the top when given.</summary>
    public static JsonObject Render(HttpContext http, ArtifactVersionRow r, object? flat)
    {
        var v = r.Version;
        var tags = v.Tags.Select(ZenMlTags.Nested).ToList();
        var artifact = ZenMlView.Node(new
        {
            id = v.ArtifactId,
            name = r.Name,
            body = new ArtifactBody(r.ArtifactCreatedAt, r.ArtifactUpdatedAt, [], v.Version, v.Id),
            resources = new JsonObject(),
        });
        return ZenMlView.Of(http).Entity(
            flat ?? new { id = v.Id, name = r.Name, version = v.Version },
            new VersionBody(v.CreatedAt, v.CreatedAt, v.UserId, r.ProjectId, artifact, v.Version, v.Uri ?? "", ArtifactType(r.Type),
                SourceOf(v.Materializer, "zenml.materializers.base_materializer", "BaseMaterializer"), new Source("builtins", "object", "builtin"),
                "step_output"),
            new VersionMetadata([], new JsonObject()),
            ZenMlView.Of(http).Resources(v.UserId, new { tags, producer_step_run_id = v.ProducerStepRunId }));
    }

    /// <summary>ZenML's artifact types; Comet's types (model, dataset, ...) read as the nearest.</summary>
    private static string ArtifactType(string? type) => type switch
    {
        "DataArtifact" or "ModelArtifact" or "SchemaArtifact" or "ServiceArtifact" or "StatisticsArtifact" or "DataAnalysisArtifact" or "BaseArtifact" => type,
        "model" => "ModelArtifact",
        _ => "DataArtifact",
    };

    /// <summary>A dotted class path as ZenML's source object (module, attribute); unknown ones read as ZenML's base class.</summary>
    private static Source SourceOf(string? path, string module, string attribute)
    {
        var dot = path?.LastIndexOf('.') ?? -1;
        return dot > 0 ? new Source(path![..dot], path[(dot + 1)..], "unknown") : new Source(module, attribute, "internal");
    }
}

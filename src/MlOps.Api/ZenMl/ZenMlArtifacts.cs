using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ZenMl;

/// <summary>Artifacts: each item is one version of a shared artifact, its data at a URI the client's artifact store wrote.</summary>
public static class ZenMlArtifacts
{
    private sealed record ArtifactRequest(
        string? Name, string? Version, string? Type, string? Uri, string? Materializer, Guid? ProducerStepRunId, Guid? ProjectId);

    private sealed record ArtifactOut(
        Guid Id, string Name, string Version, string? Type, string? Uri, string? Materializer, Guid? ProducerStepRunId, DateTime Created);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/artifacts", async (HttpContext http, ReadSide reads) =>
        {
            var artifacts = await reads.GetAsync<ArtifactRepository>(http.RequestAborted);
            return await ZenMlApi.PageAsync(http, artifacts.VersionRows, ZenMlArtifactVersions.Fields, r => r.Version.Id, r => Render(http, r));
        });
        api.MapPost("/artifacts", async (HttpContext http, ArtifactRepository artifacts) =>
        {
            var body = await ZenMlApi.ReadAsync<ArtifactRequest>(http);
            var draft = new ArtifactVersionDraft(ZenMlApi.Required(body.Name, "name"), body.Version, body.Type,
                Uri(ZenMlApi.Required(body.Uri, "uri")), body.Materializer, body.ProducerStepRunId, body.ProjectId);
            return ZenMlApi.Created(Render(http, await artifacts.AddVersionAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ArtifactRequest>(ZenMlApi.Json);
        api.MapGet("/artifacts/{artifact_id}", async (string artifact_id, HttpContext http, ArtifactRepository artifacts) =>
            Render(http, await artifacts.GetVersionRowAsync(ZenMlApi.PathId(artifact_id, "artifact_id"), http.RequestAborted)));
        api.MapDelete("/artifacts/{artifact_id}", async (string artifact_id, HttpContext http, ArtifactRepository artifacts) =>
        {
            await artifacts.DeleteVersionAsync(ZenMlApi.PathId(artifact_id, "artifact_id"), http.RequestAborted);
            return Results.NoContent();
        });
        ZenMlArtifactVersions.Map(api);
    }

    /// <summary>An absolute URI as sent; a local artifact store's absolute path becomes a <c>file://</c> URI.</summary>
    private static string Uri(string text) =>
        text.StartsWith('/') && System.Uri.TryCreate("file://" + text, UriKind.Absolute, out var file) ? file.AbsoluteUri
        : System.Uri.TryCreate(text, UriKind.Absolute, out _) ? text
        : throw ZenMlException.Invalid("invalid or missing URL scheme", "body", "uri");

    private static JsonObject Render(HttpContext http, ArtifactVersionRow r) =>
        ZenMlArtifactVersions.Render(http, r,
            new ArtifactOut(r.Version.Id, r.Name, r.Version.Version, r.Type, r.Version.Uri, r.Version.Materializer, r.Version.ProducerStepRunId, r.Version.CreatedAt));
}

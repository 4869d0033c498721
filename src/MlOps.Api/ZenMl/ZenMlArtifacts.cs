using MlOps.Api.Operations;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>Artifacts: each item is one version of a shared artifact, its data at a URI the client's artifact store wrote.</summary>
public static class ZenMlArtifacts
{
    private sealed record ArtifactRequest(
        string? Name, string? Version, string? Type, string? Uri, string? Materializer, Guid? ProducerStepRunId, Guid? ProjectId);

    private sealed record ArtifactOut(
        Guid Id, string Name, string Version, string? Type, string? Uri, string? Materializer, Guid? ProducerStepRunId, DateTime Created);

    private static readonly FieldFilters<ArtifactVersionRow> Fields = new FieldFilters<ArtifactVersionRow>()
        .Add("id", r => r.Version.Id).Add("name", r => r.Name).Add("version", r => r.Version.Version).Add("type", r => r.Type)
        .Add("uri", r => r.Version.Uri).Add("materializer", r => r.Version.Materializer)
        .Add("producer_step_run_id", r => r.Version.ProducerStepRunId).Add("created", r => r.Version.CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/artifacts", (HttpContext http, ArtifactRepository artifacts) =>
            ZenMlApi.PageAsync(http, artifacts.VersionRows, Fields, r => r.Version.Id, Render));
        api.MapPost("/artifacts", async (HttpContext http, ArtifactRepository artifacts) =>
        {
            var body = await ZenMlApi.ReadAsync<ArtifactRequest>(http);
            var draft = new ArtifactVersionDraft(ZenMlApi.Required(body.Name, "name"), body.Version, body.Type,
                Uri(ZenMlApi.Required(body.Uri, "uri")), body.Materializer, body.ProducerStepRunId, body.ProjectId);
            return ZenMlApi.Created(Render(await artifacts.AddVersionAsync(draft, ZenMlApi.Caller(http).UserId, http.RequestAborted)));
        }).Documents<ArtifactRequest>(ZenMlApi.Json);
        api.MapGet("/artifacts/{artifact_id}", async (string artifact_id, HttpContext http, ArtifactRepository artifacts) =>
            Render(await artifacts.GetVersionRowAsync(ZenMlApi.PathId(artifact_id, "artifact_id"), http.RequestAborted)));
        api.MapDelete("/artifacts/{artifact_id}", async (string artifact_id, HttpContext http, ArtifactRepository artifacts) =>
        {
            await artifacts.DeleteVersionAsync(ZenMlApi.PathId(artifact_id, "artifact_id"), http.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>An absolute URI as sent; a local artifact store's absolute path becomes a <c>file://</c> URI.</summary>
    private static string Uri(string text) =>
        text.StartsWith('/') && System.Uri.TryCreate("file://" + text, UriKind.Absolute, out var file) ? file.AbsoluteUri
        : System.Uri.TryCreate(text, UriKind.Absolute, out _) ? text
        : throw ZenMlException.Invalid("invalid or missing URL scheme", "body", "uri");

    private static object Render(ArtifactVersionRow r) =>
        new ArtifactOut(r.Version.Id, r.Name, r.Version.Version, r.Type, r.Version.Uri, r.Version.Materializer, r.Version.ProducerStepRunId, r.Version.CreatedAt);
}

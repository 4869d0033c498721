using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet artifacts: an upsert opens a new version produced by an experiment, its files are uploaded as assets
/// with <c>artifactVersionId</c>, and the state call closes it.
/// </summary>
public static class CometArtifacts
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/artifacts/upsert", Upsert).Documents<UpsertRequest>();
        api.MapPost("/write/artifacts/state", SetState).Documents<StateRequest>();
        api.MapPost("/write/artifacts/details", UpdateDetails).Documents<DetailsRequest>();
        api.MapPost("/write/artifacts/version/labels", UpdateLabels).Documents<LabelsRequest>();
        api.MapGet("/artifacts/get", Get);
        api.MapGet("/artifacts/get-all", List);
        api.MapGet("/artifacts/version", Version);
        api.MapGet("/artifacts/version/files", Files);
        api.MapGet("/artifacts/version/download", Download);
    }

    public sealed record UpsertRequest(
        string? ExperimentKey, string? ArtifactId, string? ArtifactName, string? WorkspaceName, string? Description, string? Version,
        string? Metadata, string? VersionMetadata, string? ArtifactType, bool? IsPublic, string? Emoji,
        List<string>? Tags, List<string>? VersionTags, List<string>? Alias);

    public sealed record ArtifactEntry(string ArtifactId, string ArtifactVersionId, string? PreviousVersion, string CurrentVersion);

    public sealed record StateRequest(string? ExperimentKey, string? ArtifactVersionId, JsonElement State);

    /// <summary>comet_ml's artifact update: its <c>versionMetadata</c> carries the artifact's metadata.</summary>
    public sealed record DetailsRequest(string? ArtifactId, string? ArtifactType, string? VersionMetadata, List<string>? Tags);

    public sealed record LabelsRequest(string? ArtifactVersionId, List<string>? Alias, string? VersionMetadata, List<string>? VersionTags);

    public sealed record MessageResponse(string Msg);

    public sealed record ArtifactDto(
        string ArtifactId, string ArtifactName, string? ProjectId, string WorkspaceId, string WorkspaceName, string? ExperimentKey,
        string? Description, string? Metadata, string? ArtifactType, bool IsPublic, string? Emoji, List<string> Tags);

    public sealed record VersionDetail(
        string ArtifactVersionId, string ArtifactVersion, string? ExperimentKey, string? CreatedFrom, long SizeInBytes, string? Metadata,
        long Added, string State, List<string> Tags, List<string> Alias, ArtifactDto Artifact);

    public sealed record ArtifactDetails(
        string ArtifactId, string ArtifactName, string WorkspaceName, string? ArtifactType, string? Description, string? Metadata,
        bool IsPublic, string? Emoji, List<string> Tags, List<VersionSummary> Versions);

    public sealed record VersionSummary(
        string ArtifactVersionId, string Version, string? ExperimentKey, string State, string? Metadata, List<string> Tags, List<string> Alias, long Added);

    public sealed record ArtifactsResponse(List<ArtifactDto> Artifacts);

    public sealed record VersionFile(
        string ArtifactId, string ArtifactVersionId, string AssetId, string FileName, long FileSize, string Link, string? Dir,
        string? Type, string? Metadata, bool Remote);

    public sealed record FilesResponse(List<VersionFile> Files);

    public static async Task<ArtifactEntry> Upsert(HttpContext http, ArtifactRepository artifacts, CancellationToken ct)
    {
        var r = await CometApi.ReadAsync<UpsertRequest>(http);
        CometWorkspaces.RequireWorkspace(http, r.WorkspaceName);
        var upserted = await artifacts.UpsertAsync(
            CometApi.ExperimentKey(r.ExperimentKey),
            new ArtifactUpsert(
                CometAssets.OptionalId(r.ArtifactId, "Artifact not found"), r.ArtifactName, r.ArtifactType, r.Description,
                JsonObjectText(r.Metadata, "metadata"), r.IsPublic, r.Emoji, r.Tags, r.Version, JsonObjectText(r.VersionMetadata, "versionMetadata"),
                r.VersionTags, r.Alias),
            http.Caller().Identity.UserId, ct);
        return new ArtifactEntry(
            CometApi.Key(upserted.Artifact.Id), CometApi.Key(upserted.Version.Id), upserted.PreviousVersion, upserted.Version.Version);
    }

    /// <summary>The state comes as Comet's name (<c>OPEN</c>, <c>CLOSED</c>, <c>ERROR</c>) or its number (0, 1, 2).</summary>
    public static async Task<MessageResponse> SetState(HttpContext http, ArtifactRepository artifacts, CancellationToken ct)
    {
        var r = await CometApi.ReadAsync<StateRequest>(http);
        var versionId = CometAssets.OptionalId(r.ArtifactVersionId ?? throw CometException.MissingField("artifactVersionId"), "Artifact version not found")!.Value;
        ArtifactVersionState? state = r.State.ValueKind switch
        {
            JsonValueKind.String when Enum.TryParse<ArtifactVersionState>(r.State.GetString(), ignoreCase: true, out var named) => named,
            JsonValueKind.Number when r.State.TryGetInt32(out var number) && Enum.IsDefined((ArtifactVersionState)number) => (ArtifactVersionState)number,
            _ => null,
        };
        await artifacts.SetStateAsync(versionId, state ?? throw CometException.BadRequest("state must be OPEN, CLOSED or ERROR"), ct);
        return new MessageResponse("Updated");
    }

    /// <summary>What <c>LoggedArtifact.update_artifact_tags</c> sends; fields left out (null) keep their values.</summary>
    public static async Task<MessageResponse> UpdateDetails(HttpContext http, ArtifactRepository artifacts, CancellationToken ct)
    {
        var r = await CometApi.ReadAsync<DetailsRequest>(http);
        var id = CometAssets.OptionalId(r.ArtifactId ?? throw CometException.MissingField("artifactId"), "Artifact not found")!.Value;
        await artifacts.UpdateAsync(id, r.ArtifactType, JsonObjectText(r.VersionMetadata, "versionMetadata"), r.Tags, ct);
        return new MessageResponse("Updated");
    }

    /// <summary>What <c>LoggedArtifact.update_version_tags</c> and <c>update_aliases</c> send; fields left out keep their values.</summary>
    public static async Task<MessageResponse> UpdateLabels(HttpContext http, ArtifactRepository artifacts, CancellationToken ct)
    {
        var r = await CometApi.ReadAsync<LabelsRequest>(http);
        var id = CometAssets.OptionalId(r.ArtifactVersionId ?? throw CometException.MissingField("artifactVersionId"), "Artifact version not found")!.Value;
        await artifacts.UpdateVersionAsync(id, r.Alias, JsonObjectText(r.VersionMetadata, "versionMetadata"), r.VersionTags, ct);
        return new MessageResponse("Updated");
    }

    public static async Task<ArtifactDetails> Get(
        HttpContext http, string? artifactId, string? artifactName, string? workspace, string? workspaceName, ArtifactRepository artifacts, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspace ?? workspaceName);
        var view = await artifacts.GetAsync(CometAssets.OptionalId(artifactId, "Artifact not found"), artifactName, ct);
        var a = view.Artifact;
        return new ArtifactDetails(
            CometApi.Key(a.Id), a.Name, http.Caller().Identity.WorkspaceName, a.Type, a.Description, a.Metadata, a.IsPublic, a.Emoji, a.Tags,
            [.. view.Versions.Select(v => new VersionSummary(
                CometApi.Key(v.Id), v.Version, Key(v.ExperimentId), State(v), v.Metadata, v.Tags, v.Aliases, CometMapping.Millis(v.CreatedAt)))]);
    }

    /// <summary>The workspace's artifacts, narrowed by type or to those an experiment produced.</summary>
    public static async Task<ArtifactsResponse> List(
        HttpContext http, string? workspace, string? workspaceName, string? type, string? artifactType, string? experimentKey,
        ArtifactRepository artifacts, ExperimentRepository experiments, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspace ?? workspaceName);
        Guid? producer = experimentKey is null ? null : CometApi.ExperimentKey(experimentKey);
        if (producer is { } id)
        {
            await experiments.GetAsync(id, ct);
        }
        return new ArtifactsResponse([.. (await artifacts.ListAsync(type ?? artifactType, producer, ct)).Select(a => Dto(http, a, null))]);
    }

    public static async Task<VersionDetail> Version(
        HttpContext http, string? artifactId, string? artifactName, string? versionId, string? version, string? alias, string? versionOrAlias,
        string? workspace, ArtifactRepository artifacts, CancellationToken ct)
    {
        var (artifact, found) = await FindAsync(http, artifactId, artifactName, versionId, version, alias, versionOrAlias, workspace, artifacts, ct);
        return new VersionDetail(
            CometApi.Key(found.Id), found.Version, Key(found.ExperimentId), Key(found.ExperimentId), await artifacts.SizeAsync(found.Id, ct),
            found.Metadata, CometMapping.Millis(found.CreatedAt), State(found), found.Tags, found.Aliases, Dto(http, artifact, found.ExperimentId));
    }

    public static async Task<FilesResponse> Files(
        HttpContext http, string? artifactId, string? artifactName, string? versionId, string? version, string? alias, string? workspace,
        ArtifactRepository artifacts, AssetRepository assets, CancellationToken ct)
    {
        var (artifact, found) = await FindAsync(http, artifactId, artifactName, versionId, version, alias, null, workspace, artifacts, ct);
        return new FilesResponse([.. (await assets.ListOfArtifactVersionAsync(found.Id, ct)).Select(a => new VersionFile(
            CometApi.Key(artifact.Id), CometApi.Key(found.Id), a.AssetId, a.FileName, a.Size, CometAssets.Link(http, a), null,
            a.Type, a.Metadata, a.RemoteLink is not null))]);
    }

    /// <summary>Every stored file of the version in one zip (remote files have no bytes here and are left out).</summary>
    public static async Task<IResult> Download(
        HttpContext http, string? artifactId, string? artifactName, string? versionId, string? version, string? alias, string? workspace,
        ArtifactRepository artifacts, AssetRepository assets, CancellationToken ct)
    {
        var (artifact, found) = await FindAsync(http, artifactId, artifactName, versionId, version, alias, null, workspace, artifacts, ct);
        var files = await assets.StoredFilesAsync(await assets.ListOfArtifactVersionAsync(found.Id, ct), ct);
        return await CometArchive.ZipAsync(files, $"{artifact.Name}_{found.Version}.zip", assets, ct);
    }

    /// <summary>
    /// comet_ml names a version by id, or by artifact (id or name, a name may be <c>workspace/name</c>) and a version, an alias or
    /// <c>versionOrAlias</c>; without any of these the newest version.
    /// </summary>
    private static async Task<(Artifact, ArtifactVersion)> FindAsync(
        HttpContext http, string? artifactId, string? artifactName, string? versionId, string? version, string? alias, string? versionOrAlias,
        string? workspace, ArtifactRepository artifacts, CancellationToken ct)
    {
        if (artifactName?.Split('/') is [var prefix, var name])
        {
            workspace ??= prefix;
            artifactName = name;
        }
        CometWorkspaces.RequireWorkspace(http, workspace);
        var looksLikeVersion = versionOrAlias is not null && versionOrAlias.Length > 0 && char.IsDigit(versionOrAlias[0]);
        return await artifacts.FindVersionAsync(new ArtifactVersionSelector(
            CometAssets.OptionalId(artifactId, "Artifact not found"), artifactName, CometAssets.OptionalId(versionId, "Artifact version not found"),
            version ?? (looksLikeVersion ? versionOrAlias : null), alias ?? (looksLikeVersion ? null : versionOrAlias)), ct);
    }

    private static ArtifactDto Dto(HttpContext http, Artifact a, Guid? experimentId)
    {
        var identity = http.Caller().Identity;
        return new ArtifactDto(
            CometApi.Key(a.Id), a.Name, Key(a.ProjectId), CometApi.Key(identity.WorkspaceId), identity.WorkspaceName, Key(experimentId),
            a.Description, a.Metadata, a.Type, a.IsPublic, a.Emoji, a.Tags);
    }

    private static string State(ArtifactVersion v) => v.State.ToString().ToUpperInvariant();

    private static string? Key(Guid? id) => id is { } value ? CometApi.Key(value) : null;

    /// <summary>Metadata travels as JSON text; anything that is not a JSON object is refused.</summary>
    private static string? JsonObjectText(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            using var parsed = JsonDocument.Parse(text);
            return parsed.RootElement.ValueKind == JsonValueKind.Object ? text : throw CometException.BadRequest($"{field} must be a JSON object");
        }
        catch (JsonException)
        {
            throw CometException.BadRequest($"{field} must be a JSON object");
        }
    }
}

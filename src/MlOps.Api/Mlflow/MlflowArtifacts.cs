using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Mlflow.Contracts;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using FileInfo = MlOps.Api.Mlflow.Contracts.FileInfo;

namespace MlOps.Api.Mlflow;

/// <summary>
/// Run artifacts served by the server, as <c>mlflow server --serve-artifacts</c> does: a run's artifact root is
/// <c>mlflow-artifacts:/{experiment}/{run}/artifacts</c>, which clients resolve to
/// <c>/api/2.0/mlflow-artifacts/artifacts/{experiment}/{run}/artifacts/...</c>. Each file is an asset of the run (Comet
/// lists and downloads it too) named by its path under the run's root, its bytes in the blob store.
/// </summary>
public static class MlflowArtifacts
{
    private const string AssetType = "asset";

    public static void Map(RouteGroupBuilder artifacts)
    {
        artifacts.MapGet("/artifacts", List);
        artifacts.MapGet("/artifacts/{**path}", Download);
        artifacts.MapPut("/artifacts/{**path}", Upload);
        artifacts.MapDelete("/artifacts/{**path}", Delete);
    }

    /// <summary>The tracking API's listing (<c>/mlflow/artifacts/list?run_id=&amp;path=</c>), paths relative to the run's root.</summary>
    public static void MapTrackingList(RouteGroupBuilder api) => api.MapGet("/artifacts/list", ListOfRun);

    private static async Task<object> List(HttpContext http, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var path = Safe((await MlflowRequest.ReadAsync(http)).String("path") ?? "");
        if (RunPath(path) is not { } located)
        {
            return new { files = Array.Empty<FileInfo>() };
        }
        var files = await ChildrenAsync(runs, assets, located.RunId, located.Relative, ct);
        return new { files = files.Select(f => f with { Path = f.Path[(f.Path.LastIndexOf('/') + 1)..] }).ToList() };
    }

    /// <summary>
    /// What MLflow's UI reads files through, relative to its page: <c>get-artifact?run_uuid=&amp;path=</c> (a run's file)
    /// and <c>model-versions/get-artifact?name=&amp;version=&amp;path=</c> (a file under a version's source).
    /// </summary>
    public static void MapUiDownloads(RouteGroupBuilder ui)
    {
        ui.MapGet("/get-artifact", DownloadOfRun);
        ui.MapGet("/model-versions/get-artifact", DownloadOfVersion);
    }

    private static async Task<IResult> DownloadOfRun(HttpContext http, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = MlflowMapping.Id(MlflowRuns.RunId(request));
        return await Download($"_/{run}/artifacts/{request.Required("path")}", runs, assets, ct);
    }

    private static async Task<IResult> DownloadOfVersion(
        HttpContext http, MlflowRegistryViews views, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var (model, version) = await views.VersionAsync(request.Required("name"), request.Required("version"), ct);
        var source = (await views.VersionViewAsync(model, version, ct)).Source ?? "";
        var root = source.StartsWith("mlflow-artifacts:/", StringComparison.Ordinal) ? source["mlflow-artifacts:/".Length..]
            : source.StartsWith("runs:/", StringComparison.Ordinal) && source["runs:/".Length..].Split('/', 2) is [var run, .. var rest]
                ? $"_/{run}/artifacts/{string.Join('/', rest)}"
            : throw MlflowException.NotFound($"The source of {model.Name} version {version.Version} ({source}) is not stored by this server");
        return await Download($"{root.TrimEnd('/')}/{request.Required("path")}", runs, assets, ct);
    }

    private static async Task<object> ListOfRun(HttpContext http, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var request = await MlflowRequest.ReadAsync(http);
        var run = await MlflowRuns.FindAsync(runs, MlflowRuns.RunId(request), ct);
        var files = await ChildrenAsync(runs, assets, run.Id, Safe(request.String("path") ?? ""), ct);
        return new { root_uri = MlflowMapping.ArtifactUri(run.ProjectId, run.Id), files };
    }

    private static async Task<IResult> Download(string path, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var asset = await FindAsync(runs, assets, Safe(path), ct);
        if (await assets.OpenAsync(asset, ct) is not { } opened)
        {
            throw MlflowException.NotFound($"Artifact {path} has no stored content");
        }
        return Results.Stream(opened.Content, opened.File.ContentType ?? "application/octet-stream", asset.FileName[(asset.FileName.LastIndexOf('/') + 1)..]);
    }

    private static async Task<object> Upload(
        string path, HttpContext http, ExperimentRepository runs, AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var located = RunPath(Safe(path)) is { Relative.Length: > 0 } found ? found
            : throw MlflowException.Invalid($"Artifacts are stored under a run: {{experiment}}/{{run}}/artifacts/{{path}}, not {path}");
        await MlflowRuns.ActiveAsync(runs, located.RunId, ct);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null; // the blob store's limit applies instead
        }
        var upload = new AssetUpload(located.Relative, AssetType, null, null, null, http.Request.ContentType ?? "application/octet-stream");
        try
        {
            await assets.UploadAsync(located.RunId, upload, http.Request.Body, overwrite: true, options.Value.Blobs.MaxBytes, ct);
        }
        catch (MlOps.Data.Blobs.BlobTooLargeException e)
        {
            throw new BadHttpRequestException(e.Message, StatusCodes.Status413PayloadTooLarge);
        }
        return new { };
    }

    private static async Task<object> Delete(string path, ExperimentRepository runs, AssetRepository assets, CancellationToken ct)
    {
        var asset = await FindAsync(runs, assets, Safe(path), ct);
        await assets.DeleteAsync(asset.ExperimentId, asset.AssetId, ct);
        return new { };
    }

    /// <summary>The files and folders right under <paramref name="relative"/> in a run's artifacts, paths relative to the run's root.</summary>
    private static async Task<List<FileInfo>> ChildrenAsync(ExperimentRepository runs, AssetRepository assets, Guid runId, string relative, CancellationToken ct)
    {
        await MlflowRuns.FindAsync(runs, runId, ct);
        var prefix = relative.Length == 0 ? "" : relative.TrimEnd('/') + "/";
        return [.. (await assets.ListAsync(runId, null, ct))
            .Where(a => a.FilePath is not null && a.FileName.StartsWith(prefix, StringComparison.Ordinal) && a.FileName.Length > prefix.Length)
            .GroupBy(a => a.FileName[prefix.Length..].Split('/') is var rest && rest.Length > 1 ? prefix + rest[0] + "/" : a.FileName)
            .Select(g => g.Key.EndsWith('/') ? new FileInfo(g.Key.TrimEnd('/'), true, null) : new FileInfo(g.Key, false, g.Last().Size))
            .OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static async Task<ExperimentAsset> FindAsync(ExperimentRepository runs, AssetRepository assets, string path, CancellationToken ct)
    {
        var located = RunPath(path) ?? throw MlflowException.NotFound($"No artifact at {path}");
        await MlflowRuns.FindAsync(runs, located.RunId, ct);
        return (await assets.ListAsync(located.RunId, null, ct)).LastOrDefault(a => a.FileName == located.Relative && a.FilePath is not null)
            ?? throw MlflowException.NotFound($"No artifact at {path}");
    }

    /// <summary>The run and the path under its root that <c>{experiment}/{run}/artifacts/...</c> names; null for anything else.</summary>
    private static (Guid RunId, string Relative)? RunPath(string path)
    {
        var parts = path.Trim('/').Split('/', 4);
        return parts.Length >= 3 && parts[2] == "artifacts" && Guid.TryParseExact(parts[1], "N", out var run)
            ? (run, parts.Length == 4 ? parts[3].TrimEnd('/') : "")
            : null;
    }

    /// <summary>MLflow's own rule (validate_path_is_safe): no parent references, no absolute paths, no backslashes.</summary>
    private static string Safe(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        return decoded.Split('/').Any(p => p == "..") || decoded.StartsWith('/') && decoded.Length > 1 && decoded[1] == '/' || decoded.Contains('\\') || decoded.Contains(':')
            ? throw MlflowException.Invalid($"Invalid path: {path}")
            : decoded;
    }
}

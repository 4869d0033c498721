using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// comet_ml's uploads, the REST API's handlers with the experiment named by the query's <c>experimentId</c>: every
/// asset type (files, model files with their model's name, source code, text samples, images, audio, remote links),
/// visualizations as assets, and the git patch of a dirty working tree.
/// </summary>
public static class ClientlibUploads
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/asset/upload", Asset);
        api.MapPost("/visualizations/upload", Asset);
        api.MapPost("/git-patch/upload", (HttpContext http, string? experimentId, ExperimentRepository experiments, AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct) =>
            CometGit.SetPatch(http, experimentId, experiments, assets, options, ct));
    }

    public static Task<CometAssets.UploadResponse> Asset(
        HttpContext http, string? experimentId, string? fileName, string? extension, string? step, string? context, string? type,
        string? metadata, string? overwrite, string? groupingName, string? artifactVersionId, string? isRemote, string? assetId,
        AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct) =>
        CometAssets.Upload(http, experimentId, fileName, extension, step, context, type, metadata, overwrite, groupingName, artifactVersionId,
            isRemote, assetId, assets, options, ct);
}

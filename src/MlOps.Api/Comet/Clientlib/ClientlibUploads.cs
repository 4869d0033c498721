using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// comet_ml's uploads: every asset type (files, model files with their model's name, source code, text samples,
/// images, audio, remote links) and visualizations as assets, and the git patch of a dirty working tree.
/// The experiment is the query's <c>experimentId</c> (its key).
/// </summary>
public static class ClientlibUploads
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/asset/upload", Asset);
        api.MapPost("/visualizations/upload", Asset);
        api.MapPost("/git-patch/upload", (HttpContext http, string? experimentId, ExperimentRepository experiments, CancellationToken ct) =>
            CometDetails.SetGitPatch(http, experimentId, experiments, ct));
    }

    public static Task<CometAssets.UploadResponse> Asset(
        HttpContext http, string? experimentId, string? assetId, string? fileName, string? extension, string? type, string? step,
        string? context, string? overwrite, string? groupingName, string? metadata, string? artifactVersionId,
        AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct) =>
        CometUploads.SaveAsync(
            http, CometApi.ExperimentKey(experimentId),
            new UploadFields(assetId, fileName, extension, type, step, context, overwrite, groupingName,
                CometAssets.OptionalId(artifactVersionId, "Artifact version not found"), metadata),
            assets, options.Value.Blobs.MaxBytes, ct);
}

using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>The files of experiment models (comet_ml's <c>log_model</c>) and their downloads, also through the registry.</summary>
public static class CometModelFiles
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/experiment/model/asset/list", List);
        api.MapGet("/experiment/model/download", Download);
        api.MapGet("/registry-model/item/download", DownloadVersion);
    }

    public static async Task<CometAssets.AssetsResponse> List(
        HttpContext http, string? experimentKey, string? modelName, ModelRepository models, AssetRepository assets, CancellationToken ct)
    {
        var model = await ExperimentModelAsync(experimentKey, modelName, models, ct);
        return new CometAssets.AssetsResponse([.. (await assets.ListOfModelAsync(model.Id, ct)).Select(a => CometAssets.Describe(http, a))]);
    }

    public static async Task<IResult> Download(string? experimentKey, string? modelName, ModelRepository models, AssetRepository assets, CancellationToken ct)
    {
        var model = await ExperimentModelAsync(experimentKey, modelName, models, ct);
        return await CometArchive.ZipAsync(await assets.StoredFilesOfModelAsync(model, ct), $"{model.Name}.zip", assets, ct);
    }

    /// <summary>A registry version's files: the version named, else the newest one carrying the stage, else the newest one.</summary>
    public static async Task<IResult> DownloadVersion(
        HttpContext http, string? workspaceName, string? modelName, string? version, string? stage,
        RegistryRepository registry, ModelRepository models, AssetRepository assets, CancellationToken ct)
    {
        CometWorkspaces.RequireWorkspace(http, workspaceName);
        var view = await registry.GetAsync(modelName ?? throw CometException.MissingField("modelName"), ct);
        var chosen = version is not null ? view.Versions.SingleOrDefault(v => v.Version == version)
            : stage is not null ? view.Versions.LastOrDefault(v => v.Stages.Contains(stage))
            : view.Versions.LastOrDefault();
        if (chosen?.ModelId is not { } modelId)
        {
            throw new CometException(404, "Registry model version not found");
        }
        var model = await models.GetAsync(modelId, ct);
        return await CometArchive.ZipAsync(await assets.StoredFilesOfModelAsync(model, ct), $"{view.Model.Name}_{chosen.Version}.zip", assets, ct);
    }

    private static async Task<Model> ExperimentModelAsync(string? experimentKey, string? modelName, ModelRepository models, CancellationToken ct)
    {
        var id = CometApi.ExperimentKey(experimentKey);
        var name = modelName ?? throw CometException.MissingField("modelName");
        return (await models.QueryAsync(new ModelQuery { ExperimentIds = [id] }, ct)).FirstOrDefault(m => m.Name == name)
            ?? throw new CometException(404, "Model not found");
    }
}

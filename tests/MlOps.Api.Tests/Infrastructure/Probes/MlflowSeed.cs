using System.Text;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The MLflow objects of a world: an experiment with a run (params, a metric, tags, an artifact) and a registered
/// model with a version of that run (aliased <c>champion</c>, tagged). Experiment and model names are what probes name
/// objects by, and errors echo them, so they carry no marker; descriptions, tags and contents do.
/// </summary>
public static class MlflowSeed
{
    public static async Task SeedAsync(World world)
    {
        var mlflow = world.Mlflow();
        var marker = world.Marker;
        var name = world["mlflowExperimentName"] = "exp-" + Guid.NewGuid().ToString("N")[..12];
        var experiment = world["mlflowExperiment"] = (await mlflow.PostAsync("experiments/create",
            new { name, tags = new[] { new { key = "owner", value = $"{marker}-experiment" } } })).Ok().GetProperty("experiment_id").GetString()!;
        var run = world["mlflowRun"] = (await mlflow.PostAsync("runs/create", new
        {
            experiment_id = experiment, run_name = $"{marker}-run", start_time = 1790000000000,
            tags = new[] { new { key = "stage", value = $"{marker}-tag" } },
        })).Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        (await mlflow.PostAsync("runs/log-batch", new
        {
            run_id = run,
            metrics = new[] { new { key = "loss", value = 0.5, timestamp = 1790000000000, step = 0 }, new { key = "loss", value = 0.25, timestamp = 1790000001000, step = 1 } },
            @params = new[] { new { key = "lr", value = $"{marker}-param" } },
        })).Ok();
        Assert.Equal(System.Net.HttpStatusCode.OK, await mlflow.UploadAsync($"{experiment}/{run}/artifacts/notes.txt", Encoding.UTF8.GetBytes($"{marker}-artifact")));
        Assert.Equal(System.Net.HttpStatusCode.OK, await mlflow.UploadAsync($"{experiment}/{run}/artifacts/model/MLmodel", Encoding.UTF8.GetBytes($"{marker}-mlmodel")));
        var model = world["mlflowModel"] = "model-" + Guid.NewGuid().ToString("N")[..12];
        (await mlflow.PostAsync("registered-models/create", new { name = model, description = $"{marker}-model", tags = new[] { new { key = "task", value = marker } } })).Ok();
        (await mlflow.PostAsync("model-versions/create", new
        {
            name = model, source = $"mlflow-artifacts:/{experiment}/{run}/artifacts/model", run_id = run, description = $"{marker}-version",
            tags = new[] { new { key = "quality", value = marker } },
        })).Ok();
        (await mlflow.PostAsync("registered-models/alias", new { name = model, alias = "champion", version = "1" })).Ok();
    }
}

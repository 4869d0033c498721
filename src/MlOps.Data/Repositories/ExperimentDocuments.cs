using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>The large documents an experiment row carries; a list page reads only those its answer shows.</summary>
[Flags]
public enum ExperimentDocuments
{
    None = 0,
    Script = 1,
    Runtime = 2,
    Execution = 4,
    Output = 8,
    Container = 16,
    Models = 32,
    SystemDetails = 64,
    Html = 128,
    Code = 256,
    Graph = 512,
    Report = 1024,
    All = (Report << 1) - 1,
}

internal static class ExperimentDocumentColumns
{
    private static readonly Dictionary<ExperimentDocuments, string[]> Properties = new()
    {
        [ExperimentDocuments.Script] = [nameof(Experiment.Script)],
        [ExperimentDocuments.Runtime] = [nameof(Experiment.Runtime)],
        [ExperimentDocuments.Execution] = [nameof(Experiment.Execution)],
        [ExperimentDocuments.Output] = [nameof(Experiment.Output)],
        [ExperimentDocuments.Container] = [nameof(Experiment.Container)],
        [ExperimentDocuments.Models] = [nameof(Experiment.Models)],
        [ExperimentDocuments.SystemDetails] = [nameof(Experiment.SystemDetails)],
        [ExperimentDocuments.Html] = [nameof(Experiment.Html)],
        [ExperimentDocuments.Code] = [nameof(Experiment.Code)],
        [ExperimentDocuments.Graph] = [nameof(Experiment.Graph)],
        [ExperimentDocuments.Report] = [nameof(Experiment.Report), nameof(Experiment.ReportAssets)],
    };

    /// <summary>The properties of the documents not wanted.</summary>
    public static string[] Skipped(ExperimentDocuments wanted) =>
        [.. Properties.Where(p => !wanted.HasFlag(p.Key)).SelectMany(p => p.Value)];
}

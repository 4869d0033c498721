using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>The large documents an experiment row carries; a list page loads only those its answer shows.</summary>
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

/// <summary>
/// Experiment rows without the documents not asked for: every other column is read, so a column added to
/// <see cref="Experiment"/> is read too.
/// </summary>
internal static class ExperimentColumns
{
    private static readonly Dictionary<string, ExperimentDocuments> Documents = new()
    {
        [nameof(Experiment.Script)] = ExperimentDocuments.Script,
        [nameof(Experiment.Runtime)] = ExperimentDocuments.Runtime,
        [nameof(Experiment.Execution)] = ExperimentDocuments.Execution,
        [nameof(Experiment.Output)] = ExperimentDocuments.Output,
        [nameof(Experiment.Container)] = ExperimentDocuments.Container,
        [nameof(Experiment.Models)] = ExperimentDocuments.Models,
        [nameof(Experiment.SystemDetails)] = ExperimentDocuments.SystemDetails,
        [nameof(Experiment.Html)] = ExperimentDocuments.Html,
        [nameof(Experiment.Code)] = ExperimentDocuments.Code,
        [nameof(Experiment.Graph)] = ExperimentDocuments.Graph,
        [nameof(Experiment.Report)] = ExperimentDocuments.Report,
        [nameof(Experiment.ReportAssets)] = ExperimentDocuments.Report,
    };

    private static readonly ConcurrentDictionary<(ExperimentDocuments, bool), Expression<Func<Experiment, Experiment>>> Projections = new();

    /// <summary>The rows with the given documents (and the parameters when asked); the others are left at their defaults.</summary>
    public static IQueryable<Experiment> Select(IQueryable<Experiment> rows, Microsoft.EntityFrameworkCore.Metadata.IModel model, ExperimentDocuments documents, bool withParameters) =>
        rows.Select(Projections.GetOrAdd((documents, withParameters), key => Projection(model, key.Item1, key.Item2)));

    private static Expression<Func<Experiment, Experiment>> Projection(Microsoft.EntityFrameworkCore.Metadata.IModel model, ExperimentDocuments documents, bool withParameters)
    {
        var row = Expression.Parameter(typeof(Experiment), "e");
        var columns = model.FindEntityType(typeof(Experiment))!.GetProperties()
            .Select(p => p.PropertyInfo).OfType<PropertyInfo>()
            .Where(p => !Documents.TryGetValue(p.Name, out var document) || documents.HasFlag(document))
            .Select(p => (MemberBinding)Expression.Bind(p, Expression.Property(row, p)));
        if (withParameters)
        {
            var parameters = Expression.Property(row, nameof(Experiment.Parameters));
            var toList = typeof(Enumerable).GetMethod(nameof(Enumerable.ToList))!.MakeGenericMethod(typeof(ExperimentParameter));
            columns = columns.Append(Expression.Bind(typeof(Experiment).GetProperty(nameof(Experiment.Parameters))!, Expression.Call(toList, parameters)));
        }
        return Expression.Lambda<Func<Experiment, Experiment>>(Expression.MemberInit(Expression.New(typeof(Experiment)), columns), row);
    }
}

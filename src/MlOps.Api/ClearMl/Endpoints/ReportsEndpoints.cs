using System.Text.Json.Nodes;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>reports.*</c>: reports are experiments of type <c>report</c>; listing them is listing those.</summary>
public static class ReportsEndpoints
{
    public const string ReportType = "report";

    public static void Map(RouteGroupBuilder api) => api.MapAction("reports.get_all_ex", GetAllEx);

    public static Task<TasksEndpoints.GetAllResponse> GetAllEx(
        ClearMlCall call, ExperimentRepository tasks, MetricsStore metrics, ClearMlReferences references, CancellationToken ct)
    {
        call.Fields["type"] = new JsonArray(ReportType);
        return TasksEndpoints.GetAllEx(call, tasks, metrics, references, ct);
    }
}

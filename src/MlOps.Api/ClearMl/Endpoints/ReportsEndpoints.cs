using System.Text.Json.Nodes;
using MlOps.Data.Replication;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>reports.*</c>: reports are experiments of type <c>report</c>; listing them is listing those.</summary>
public static class ReportsEndpoints
{
    public const string ReportType = "report";

    public static void Map(RouteGroupBuilder api) => api.MapAction("reports.get_all_ex", GetAllEx);

    public static Task<TasksEndpoints.GetAllResponse> GetAllEx(ClearMlCall call, ReadSide reads, CancellationToken ct)
    {
        call.Fields["type"] = new JsonArray(ReportType);
        return TasksEndpoints.GetAllEx(call, reads, ct);
    }
}

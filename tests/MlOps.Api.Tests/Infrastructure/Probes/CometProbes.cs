namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each Comet route (see <see cref="Probe"/>).</summary>
public static class CometProbes
{
    public static readonly Probe[] All =
    [
        new("POST /api/rest/v2/write/experiment/metric", """{"experimentKey": "$experiment", "metricName": "$cometMetric", "metricValue": 2.5, "step": 2}"""),
        new("GET /api/rest/v2/experiment/metrics/summary", Query: "experimentKey=$experiment"),
    ];
}

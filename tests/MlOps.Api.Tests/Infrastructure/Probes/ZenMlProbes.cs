namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ZenMl route (see <see cref="Probe"/>).</summary>
public static class ZenMlProbes
{
    public static readonly Probe[] All =
    [
    ];
}

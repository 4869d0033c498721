namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ClearML action but tasks.* and events.* (see <see cref="ClearMlTaskProbes"/>), and the files server (see <see cref="Probe"/>).</summary>
public static class ClearMlProbes
{
    public static readonly Probe[] All =
    [
    ];
}

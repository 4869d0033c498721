namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each Clarifai route (see <see cref="Probe"/>).</summary>
public static class ClarifaiProbes
{
    public static readonly Probe[] All =
    [
    ];
}

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ClearML tasks.* and events.* action (see <see cref="Probe"/>).</summary>
public static class ClearMlTaskProbes
{
    public static readonly Probe[] All =
    [
        new("POST /tasks.get_by_id", """{"task": "$task"}"""),
        new("POST /tasks.edit", """{"task": "$task", "name": "renamed-$unique", "force": true}"""),
    ];
}

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>The objects the ClearML tasks.* and events.* probes need beyond <see cref="ClearMlSeed"/>'s.</summary>
public static class ClearMlTaskSeed
{
    public static Task SeedAsync(World world) => Task.CompletedTask;
}

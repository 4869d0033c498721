using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>The embedded default: no database server, just a directory.</summary>
public sealed class SqliteSmokeTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N"));
    private MlOpsFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new MlOpsFactory("Sqlite", "", _dataDir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Projects_and_tasks_round_trip_on_the_embedded_database()
    {
        var client = await _factory.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var project = await client.CreateProjectAsync("sqlite/nested");
        var task = await client.CreateTaskAsync(project, "t", tags: ["a"]);
        (await client.CallAsync("tasks.started", new { task })).Ok();
        (await client.CallAsync("tasks.edit", new { task, force = true, hyperparams = new { General = new { lr = new { section = "General", name = "lr", value = "0.1", type = "float" } } } })).Ok();

        var found = (await client.CallAsync("tasks.get_all", new { project = new[] { project }, tags = new[] { "a" }, name = "^t$" })).Ok().GetProperty("tasks");
        var doc = (await client.CallAsync("tasks.get_by_id", new { task })).Ok().GetProperty("task");

        Assert.Equal(task, found[0].GetProperty("id").GetString());
        Assert.Equal("in_progress", doc.GetProperty("status").GetString());
        Assert.Equal("0.1", doc.GetProperty("hyperparams").GetProperty("General").GetProperty("lr").GetProperty("value").GetString());
        Assert.EndsWith("Z", doc.GetProperty("created").GetString());
        Assert.True(File.Exists(Path.Combine(_dataDir, "mlops.db")));
        Assert.Equal("Healthy", await _factory.CreateClient().GetStringAsync("/health/ready"));
    }
}

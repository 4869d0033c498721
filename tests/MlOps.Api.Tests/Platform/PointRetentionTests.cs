using System.Globalization;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MlOps.Api.Platform;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Tenancy;
using Npgsql;

namespace MlOps.Api.Tests.Platform;

/// <summary>
/// <c>MlOps:Metrics:RetentionDays</c>: raw points stored longer ago go (whole partitions on PostgreSQL), newer ones stay.
/// Each test has a server of its own on an empty database, with partitions of 1,000 ids and a clock it moves.
/// </summary>
public abstract class PointRetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly List<IAsyncDisposable> _servers = [];

    protected abstract Task<MlOpsFactory> NewServerAsync(IReadOnlyDictionary<string, string> settings);

    /// <summary>Later requests take ids from the head of the sequence, not from what a pooled connection kept.</summary>
    protected virtual void UseFreshConnections()
    {
    }

    /// <summary>What the database shows after the retention test, checked where there is something to see.</summary>
    protected virtual Task AfterRetentionAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in Enumerable.Reverse(_servers))
        {
            await server.DisposeAsync();
        }
    }

    protected async Task<(ClearMlClient Client, PointUpkeep Upkeep)> StartAsync(int retentionDays)
    {
        var factory = await NewServerAsync(new Dictionary<string, string>
        {
            ["MlOps:Metrics:PartitionRows"] = "1000",
            ["MlOps:Metrics:RetentionDays"] = retentionDays.ToString(CultureInfo.InvariantCulture),
        });
        _servers.Add(factory);
        var server = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_clock)));
        _servers.Add(server);
        var client = await new ClearMlClient(server.CreateClient()).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        return (client, server.Services.GetRequiredService<PointUpkeep>());
    }

    protected static async Task<string> RunningTaskAsync(ClearMlClient client, string name)
    {
        var task = await client.CreateTaskAsync(await client.CreateProjectAsync(name), name);
        (await client.CallAsync("tasks.started", new { task })).Ok();
        return task;
    }

    protected static async Task ReportAsync(ClearMlClient client, string task, string variant, int count) =>
        (await client.AddEventsAsync(Enumerable.Range(0, count).Select(i => new
        {
            type = "training_stats_scalar", task, iter = i, metric = "loss", variant, value = i * 0.5, timestamp = 1_790_000_000_000 + i,
        }))).Ok();

    protected static async Task<List<long>> StepsAsync(ClearMlClient client, string task, string variant)
    {
        var raw = (await client.CallAsync("events.scalar_metrics_iter_raw",
            new { task, metric = new { metric = "loss", variants = new[] { variant } }, batch_size = 10_000 })).Ok();
        return raw.GetProperty("variants").TryGetProperty(variant, out var points)
            ? [.. points.GetProperty("iter").EnumerateArray().Select(i => i.GetInt64())]
            : [];
    }

    [Fact]
    public async Task Points_stored_before_the_retention_are_removed_and_newer_ones_and_summaries_stay()
    {
        var (client, upkeep) = await StartAsync(retentionDays: 1);
        var task = await RunningTaskAsync(client, "retained");
        await ReportAsync(client, task, "old", 1500);
        await upkeep.RunAsync(CancellationToken.None);
        UseFreshConnections();
        // Others' points stored meanwhile: ids pass the old points' partitions, which are then sealed.
        await ReportAsync(client, await RunningTaskAsync(client, "others"), "meanwhile", 1000);
        await upkeep.RunAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(2));
        UseFreshConnections();
        await ReportAsync(client, task, "new", 10);
        await upkeep.RunAsync(CancellationToken.None);

        Assert.Empty(await StepsAsync(client, task, "old"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), await StepsAsync(client, task, "new"));
        var latest = (await client.CallAsync("events.get_task_latest_scalar_values", new { task })).Ok().GetProperty("metrics")[0].GetProperty("variants");
        var old = latest.EnumerateArray().Single(v => v.GetProperty("name").GetString() == "old");
        Assert.Equal(1499 * 0.5, old.GetProperty("last_value").GetDouble());
        await AfterRetentionAsync();
    }

    [Fact]
    public async Task Without_a_retention_points_are_kept_for_ever()
    {
        var (client, upkeep) = await StartAsync(retentionDays: 0);
        var task = await RunningTaskAsync(client, "kept");
        await ReportAsync(client, task, "old", 2500);
        await upkeep.RunAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(20));
        UseFreshConnections();
        await ReportAsync(client, task, "new", 1500);
        await upkeep.RunAsync(CancellationToken.None);

        Assert.Equal(2500, (await StepsAsync(client, task, "old")).Count);
        Assert.Equal(1500, (await StepsAsync(client, task, "new")).Count);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PointRetentionTestsOnPostgres(PostgresFixture fixture) : PointRetentionTests
{
    private string _connectionString = "";

    protected override async Task<MlOpsFactory> NewServerAsync(IReadOnlyDictionary<string, string> settings)
    {
        _connectionString = await fixture.Server.CreateDatabaseAsync();
        return new MlOpsFactory("Postgres", _connectionString, Path.Combine(Path.GetTempPath(), "mlops-tests", Guid.NewGuid().ToString("N")), settings);
    }

    protected override void UseFreshConnections()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>Going down to the unpartitioned table and up again, as an upgrade does, keeps the points and the ids going on.</summary>
    [Fact]
    public async Task Upgrading_to_the_partitioned_table_keeps_the_stored_points()
    {
        await using var server = await NewServerAsync(new Dictionary<string, string>());
        var client = await server.ClearMl().LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        var task = await RunningTaskAsync(client, "upgraded");
        await ReportAsync(client, task, "before", 1200);
        await using (var db = server.Services.GetRequiredService<WorkspaceContextFactory>().For(null))
        {
            var migrator = db.GetService<IMigrator>();
            UseFreshConnections();
            await migrator.MigrateAsync("ExperimentsByLastUpdate");
            Assert.Equal('r', await ScalarAsync<char>("SELECT relkind FROM pg_class WHERE relname = 'metric_points'"));
            await migrator.MigrateAsync();
        }
        UseFreshConnections();
        await server.Services.GetRequiredService<PointUpkeep>().RunAsync(CancellationToken.None);

        await ReportAsync(client, task, "after", 10);

        Assert.Equal('p', await ScalarAsync<char>("SELECT relkind FROM pg_class WHERE relname = 'metric_points'"));
        Assert.Equal(1200L, await ScalarAsync<long>("SELECT count(*) FROM metric_points_p0"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM metric_point_marks"));
        Assert.Equal(Enumerable.Range(0, 1200).Select(i => (long)i), await StepsAsync(client, task, "before"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), await StepsAsync(client, task, "after"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM metric_points_default"));
    }

    [Fact]
    public async Task Points_beyond_the_partitions_made_land_in_the_default_one_and_the_next_partitions_start_above_them()
    {
        var (client, upkeep) = await StartAsync(retentionDays: 0);
        var task = await RunningTaskAsync(client, "overflow");

        await ReportAsync(client, task, "first", 3500);
        await upkeep.RunAsync(CancellationToken.None);
        await ReportAsync(client, task, "then", 10);

        Assert.Equal(1500L, await ScalarAsync<long>("SELECT count(*) FROM metric_points_default"));
        Assert.Equal(10L, await ScalarAsync<long>("SELECT count(*) FROM metric_points_p3501"));
        Assert.Equal(3500, (await StepsAsync(client, task, "first")).Count);
        Assert.Equal(10, (await StepsAsync(client, task, "then")).Count);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The old points' partitions were dropped; two empty ones wait above the sequence, and the DEFAULT one is there.</summary>
    protected override async Task AfterRetentionAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM metric_points_id_seq)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'metric_points'::regclass
            """, connection);
        var partitions = new List<string>();
        long issued = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                partitions.Add(reader.GetString(0));
                issued = reader.GetInt64(1);
            }
        }
        var lowers = partitions.Where(p => p != "metric_points_default").Select(p => long.Parse(p["metric_points_p".Length..], CultureInfo.InvariantCulture));
        Assert.Contains("metric_points_default", partitions);
        Assert.DoesNotContain("metric_points_p1", partitions);
        Assert.DoesNotContain("metric_points_p1001", partitions);
        Assert.True(lowers.Count(l => l > issued) >= 2, $"two empty partitions above id {issued}: {string.Join(", ", partitions)}");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PointRetentionTestsOnSqlite : PointRetentionTests
{
    protected override Task<MlOpsFactory> NewServerAsync(IReadOnlyDictionary<string, string> settings) =>
        Task.FromResult(new MlOpsFactory("Sqlite", "", Path.Combine(Path.GetTempPath(), "mlops-sqlite-" + Guid.NewGuid().ToString("N")), settings));
}

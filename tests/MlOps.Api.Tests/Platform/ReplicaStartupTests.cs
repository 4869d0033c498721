using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>Several server processes on one PostgreSQL, as replicas behind a load balancer run.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaStartupTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_replica_waits_to_migrate_while_another_holds_the_start_up_lock()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using var holder = new Npgsql.NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MlOps.Data.PostgresMlOpsDbContext.StartupLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }
        await using var replica = new ServerProcess("Postgres", connectionString, Path.Combine(Path.GetTempPath(), "mlops-waiting-" + Guid.NewGuid().ToString("N")));

        var starting = replica.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var readyWhileHeld = starting.IsCompleted;
        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({MlOps.Data.PostgresMlOpsDbContext.StartupLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        await starting;

        Assert.False(readyWhileHeld, "the replica came up while another held the start-up lock");
    }

    /// <summary>Without the start-up lock, two of three crashed in MigrateAsync ("column ... already exists").</summary>
    [Fact]
    public async Task Three_replicas_started_together_on_an_empty_database_all_come_up_with_one_bootstrap()
    {
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(await fixture.Server.CreateDatabaseAsync()) { Database = "mlops_fresh_" + Guid.NewGuid().ToString("N") }
            .ConnectionString; // a database that does not exist yet: the replicas create it, once
        var replicas = Enumerable.Range(0, 3)
            .Select(i => new ServerProcess("Postgres", connectionString, Path.Combine(Path.GetTempPath(), $"mlops-replica-{i}-" + Guid.NewGuid().ToString("N"))))
            .ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.StartAsync()));

            foreach (var replica in replicas)
            {
                using var http = new HttpClient { BaseAddress = replica.BaseAddress };
                var clearMl = await new ClearMlClient(http).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
                var users = (await clearMl.CallAsync("users.get_all", new { })).Ok().GetProperty("users").EnumerateArray();
                Assert.Single(users, u => u.GetProperty("name").GetString() == "admin");
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}

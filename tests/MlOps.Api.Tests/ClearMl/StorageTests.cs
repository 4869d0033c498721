using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>The web UI's Settings, Storage Credentials page: per-workspace cloud credentials, kept encrypted.</summary>
public abstract class StorageTests(IServerFixture fixture)
{
    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    [Fact]
    public async Task Settings_are_set_per_provider_read_back_as_the_ui_reads_them_and_reset()
    {
        var client = await TenantAsync();
        var empty = (await client.CallAsync("storage.get_settings", new { }, "999.0")).Ok().GetProperty("settings");
        Assert.Empty(empty.GetProperty("aws").GetProperty("buckets").EnumerateArray());
        Assert.False(empty.TryGetProperty("last_update", out _));

        (await client.CallAsync("storage.set_settings", new
        {
            aws = new { key = "AKIA-top", secret = "s3-secret-value", region = "eu-west-1", buckets = new[] { new { bucket = "models", host = "minio:9000", key = "k", secret = "s", secure = false } } },
            azure = new { containers = new[] { new { account_name = "acct", account_key = "azure-key", container_name = "runs" } } },
        })).Ok();
        (await client.CallAsync("storage.set_settings", new { google = new { project = "p", credentials_json = "{\"type\": \"service_account\"}" } })).Ok();

        var settings = (await client.CallAsync("storage.get_settings")).Ok().GetProperty("settings");
        var bucket = settings.GetProperty("aws").GetProperty("buckets")[0];
        Assert.Equal("eu-west-1", settings.GetProperty("aws").GetProperty("region").GetString());
        Assert.Equal("minio:9000", bucket.GetProperty("host").GetString());
        Assert.False(bucket.GetProperty("secure").GetBoolean());
        Assert.True(bucket.GetProperty("multipart").GetBoolean());
        Assert.Equal("runs", settings.GetProperty("azure").GetProperty("containers")[0].GetProperty("container_name").GetString());
        Assert.Equal("p", settings.GetProperty("google").GetProperty("project").GetString());
        Assert.True(settings.TryGetProperty("last_update", out _));

        Assert.Equal(1, (await client.CallAsync("storage.reset_settings", new { keys = new[] { "aws", "azure" } })).Ok().GetProperty("updated").GetInt32());
        var reset = (await client.CallAsync("storage.get_settings")).Ok().GetProperty("settings");
        Assert.False(reset.GetProperty("aws").TryGetProperty("key", out _));
        Assert.Empty(reset.GetProperty("azure").GetProperty("containers").EnumerateArray());
        Assert.Equal("p", reset.GetProperty("google").GetProperty("project").GetString());
    }

    [Fact]
    public async Task Bad_settings_are_refused_and_secrets_are_not_stored_in_clear()
    {
        var client = await TenantAsync();

        (await client.CallAsync("storage.set_settings", new { })).AssertError(400, 12);
        (await client.CallAsync("storage.set_settings", new { google = new { credentials_json = "not json" } })).AssertError(400, 12);
        (await client.CallAsync("storage.reset_settings", new { keys = new[] { "dropbox" } })).AssertError(400, 12);
        Assert.Equal(0, (await client.CallAsync("storage.reset_settings", new { keys = new[] { "aws" } })).Ok().GetProperty("updated").GetInt32());
        (await client.CallAsync("storage.set_settings", new { aws = new { key = "AKIA-visible", secret = "very-secret-value-42" } })).Ok();

        await using var db = fixture.Factory.Services.GetRequiredService<WorkspaceContextFactory>().For(null);
        var stored = await db.StorageSettings.IgnoreQueryFilters().Select(s => s.Aws).ToListAsync();
        Assert.DoesNotContain(stored, text => text != null && text.Contains("very-secret-value-42"));
    }

    [Fact]
    public async Task Another_workspace_neither_reads_nor_resets_the_settings()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        (await owner.CallAsync("storage.set_settings", new { aws = new { key = "AKIA-owner", secret = "owner-secret" } })).Ok();

        var seen = (await intruder.CallAsync("storage.get_settings")).Ok().GetProperty("settings");
        Assert.Equal(0, (await intruder.CallAsync("storage.reset_settings", new { keys = new[] { "aws" } })).Ok().GetProperty("updated").GetInt32());
        (await intruder.CallAsync("storage.set_settings", new { aws = new { key = "AKIA-intruder" } })).Ok();

        Assert.False(seen.GetProperty("aws").TryGetProperty("key", out _));
        var kept = (await owner.CallAsync("storage.get_settings")).Ok().GetProperty("settings").GetProperty("aws");
        Assert.Equal("AKIA-owner", kept.GetProperty("key").GetString());
        Assert.Equal("owner-secret", kept.GetProperty("secret").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class StorageTestsOnPostgres(PostgresFixture fixture) : StorageTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class StorageTestsOnSqlite(SqliteFixture fixture) : StorageTests(fixture);

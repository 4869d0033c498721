using System.Text.Json;
using MlOps.Api.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

[Collection(PostgresCollection.Name)]
public sealed class AdminCommandTests(PostgresFixture fixture)
{
    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await AdminCommands.RunAsync(
            [.. args, "--MlOps:Database:Provider=Postgres", $"--ConnectionStrings:MlOps={fixture.ConnectionString}"], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Admin_verbs_make_a_workspace_whose_credentials_log_in()
    {
        var workspace = "team-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(0, (await RunAsync("create-workspace", workspace)).Exit);
        Assert.Equal(0, (await RunAsync("create-user", workspace, "bob", "bob-password")).Exit);
        var (exit, output, _) = await RunAsync("create-credentials", workspace, "bob");

        Assert.Equal(0, exit);
        var keys = JsonDocument.Parse(output).RootElement;
        var client = await fixture.Factory.ClearMl().LoginAsync(keys.GetProperty("access_key").GetString()!, keys.GetProperty("secret_key").GetString()!);
        var user = (await client.CallAsync("users.get_current_user")).Ok().GetProperty("user");
        Assert.Equal("bob", user.GetProperty("name").GetString());
        Assert.Equal(workspace, user.GetProperty("company").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(keys.GetProperty("api_key").GetString()));
    }

    [Fact]
    public async Task Passwords_are_stored_as_pbkdf2_sha256_at_600000_iterations_by_default()
    {
        var workspace = "hash-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await RunAsync("create-workspace", workspace)).Exit);
        Assert.Equal(0, (await RunAsync("create-user", workspace, "carol", "carol-password")).Exit);

        await using var db = fixture.Factory.Services.GetRequiredService<MlOps.Data.Tenancy.WorkspaceContextFactory>().For(null);
        var stored = await db.Users.IgnoreQueryFilters().Join(db.Workspaces.Where(w => w.Name == workspace), u => u.WorkspaceId, w => w.Id, (u, _) => u.PasswordHash)
            .SingleAsync();
        Assert.StartsWith("pbkdf2-sha256$600000$", stored);
    }

    [Fact]
    public async Task Admin_verbs_refuse_bad_input_with_an_error_and_exit_code()
    {
        var workspace = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await RunAsync("create-workspace", workspace);

        var duplicate = await RunAsync("create-workspace", workspace);
        var unknownWorkspace = await RunAsync("create-user", "no-such-" + workspace, "bob", "pw");
        var unknownUser = await RunAsync("create-credentials", workspace, "nobody");
        var usage = await RunAsync("create-user", workspace);

        Assert.Equal(1, duplicate.Exit);
        Assert.Contains("already exists", duplicate.Errors);
        Assert.Equal(1, unknownWorkspace.Exit);
        Assert.Contains("not found", unknownWorkspace.Errors);
        Assert.Equal(1, unknownUser.Exit);
        Assert.Equal(2, usage.Exit);
        Assert.Contains("usage: create-user WORKSPACE USER PASSWORD", usage.Errors);
    }

    [Fact]
    public async Task Migrate_is_idempotent_on_a_migrated_database()
    {
        var (exit, output, _) = await RunAsync("migrate");

        Assert.Equal(0, exit);
        Assert.Contains("migrated", output);
    }
}

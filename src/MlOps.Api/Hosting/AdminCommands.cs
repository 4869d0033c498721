using System.Text.Json;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Hosting;

/// <summary>
/// Command-line verbs run against the configured database instead of serving:
/// <c>migrate</c>, <c>create-workspace NAME</c>, <c>create-user WORKSPACE USER PASSWORD</c>,
/// <c>create-credentials WORKSPACE USER</c>. Arguments starting with <c>--</c> are configuration
/// (e.g. <c>--ConnectionStrings:MlOps=...</c>), as for the server.
/// </summary>
public static class AdminCommands
{
    private static readonly Dictionary<string, (int Arity, string Usage)> Verbs = new()
    {
        ["migrate"] = (0, "migrate"),
        ["create-workspace"] = (1, "create-workspace NAME"),
        ["create-user"] = (3, "create-user WORKSPACE USER PASSWORD"),
        ["create-credentials"] = (2, "create-credentials WORKSPACE USER"),
    };

    public static bool IsAdminCommand(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    /// <summary>Runs the verb; returns the process exit code (0 done, 1 input rejected, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var words = args.Except(settings).ToArray();
        var (arity, usage) = Verbs[words[0]];
        if (words.Length - 1 != arity)
        {
            await errors.WriteLineAsync($"usage: {usage}");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMlOpsDatabase(builder.AddMlOpsOptions(), builder.Configuration.GetConnectionString("MlOps"));
        builder.Services.AddSingleton<IWorkspaceScope>(FixedWorkspaceScope.None);
        using var host = builder.Build();
        var ct = CancellationToken.None;
        try
        {
            await StartupTasks.MigrateAsync(host.Services, ct);
            var admin = host.Services.GetRequiredService<TenantAdmin>();
            object result = words[0] switch
            {
                "create-workspace" => Describe(await admin.CreateWorkspaceAsync(words[1], ct)),
                "create-user" => Describe(await admin.CreateUserAsync(words[1], words[2], words[3], UserRole.User, ct), words[1]),
                "create-credentials" => Describe(await admin.CreateCredentialsAsync(words[1], words[2], ct)),
                _ => new { migrated = true },
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(result));
            return 0;
        }
        catch (TenantAdminException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static object Describe(Workspace workspace) => new { id = workspace.Id.ToString("N"), name = workspace.Name };

    private static object Describe(User user, string workspace) => new { id = user.Id.ToString("N"), name = user.Name, workspace };

    private static object Describe(IssuedCredentials issued) =>
        new { access_key = issued.AccessKey, secret_key = issued.SecretKey, api_key = issued.ApiKey };
}

using System.Text.Json;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Hosting;

/// <summary>
/// Command-line verbs run against the configured database instead of serving:
/// <c>migrate</c>, <c>create-workspace NAME</c>, <c>create-user WORKSPACE USER PASSWORD</c>,
/// <c>create-credentials WORKSPACE USER</c>.
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

    /// <summary>Runs the verb; returns the process exit code (0 ok, 2 usage, 1 rejected input).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (arity, usage) = Verbs[args[0]];
        if (args.Length - 1 != arity)
        {
            await Console.Error.WriteLineAsync($"usage: {usage}");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMlOpsDatabase(builder.Configuration);
        builder.Services.AddSingleton<IWorkspaceScope>(FixedWorkspaceScope.None);
        using var host = builder.Build();
        var ct = CancellationToken.None;
        try
        {
            await StartupTasks.MigrateAsync(host.Services, ct);
            var admin = host.Services.GetRequiredService<TenantAdmin>();
            switch (args[0])
            {
                case "migrate":
                    Console.WriteLine("migrations applied");
                    break;
                case "create-workspace":
                    var workspace = await admin.CreateWorkspaceAsync(args[1], ct);
                    Console.WriteLine(JsonSerializer.Serialize(new { id = workspace.Id.ToString("N"), name = workspace.Name }));
                    break;
                case "create-user":
                    var user = await admin.CreateUserAsync(args[1], args[2], args[3], UserRole.User, ct);
                    Console.WriteLine(JsonSerializer.Serialize(new { id = user.Id.ToString("N"), name = user.Name, workspace = args[1] }));
                    break;
                case "create-credentials":
                    var issued = await admin.CreateCredentialsAsync(args[1], args[2], ct);
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        access_key = issued.AccessKey,
                        secret_key = issued.SecretKey,
                        api_key = issued.ApiKey,
                    }));
                    break;
            }
            return 0;
        }
        catch (TenantAdminException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }
}

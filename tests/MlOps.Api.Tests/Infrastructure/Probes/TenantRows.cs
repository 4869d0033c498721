using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Data;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// Every stored row of one workspace, read from the database itself (every tenant table, its memberships and its
/// workspace row) as one comparable text: what a write must leave unchanged when it is not that workspace's.
/// </summary>
public static class TenantRows
{
    private static readonly MethodInfo RowsOfMethod = typeof(TenantRows).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task<Guid> WorkspaceIdAsync(MlOpsFactory factory, string workspaceName)
    {
        await using var db = factory.Services.GetRequiredService<WorkspaceContextFactory>().For(null);
        return await db.Workspaces.Where(w => w.Name == workspaceName).Select(w => w.Id).SingleAsync();
    }

    public static async Task<string> FingerprintAsync(MlOpsFactory factory, Guid workspaceId)
    {
        await using var db = factory.Services.GetRequiredService<WorkspaceContextFactory>().For(workspaceId);
        var tables = new List<string>();
        foreach (var type in db.Model.GetEntityTypes().Select(e => e.ClrType).Where(t => typeof(IWorkspaceOwned).IsAssignableFrom(t)).OrderBy(t => t.Name))
        {
            var rows = await (Task<List<string>>)RowsOfMethod.MakeGenericMethod(type).Invoke(null, [db])!;
            tables.Add(type.Name + ":\n" + string.Join("\n", rows));
        }
        var members = await db.WorkspaceMembers.AsNoTracking().Where(m => m.WorkspaceId == workspaceId).ToListAsync();
        tables.Add("members:\n" + string.Join("\n", members.Select(m => JsonSerializer.Serialize(m)).Order(StringComparer.Ordinal)));
        tables.Add("workspace:\n" + JsonSerializer.Serialize(await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId)));
        return string.Join("\n\n", tables);
    }

    private static async Task<List<string>> RowsOfAsync<T>(MlOpsDbContext db) where T : class =>
        [.. (await db.Set<T>().AsNoTracking().ToListAsync()).Select(row => JsonSerializer.Serialize(row)).Order(StringComparer.Ordinal)];

    /// <summary>The first line that differs, to say what changed.</summary>
    public static string Difference(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(none)";
            var right = i < b.Length ? b[i] : "(none)";
            if (left != right)
            {
                return $"was {Cut(left)} now {Cut(right)}";
            }
        }
        return "no difference";
    }

    private static string Cut(string text) => text.Length > 240 ? text[..240] + "…" : text;
}

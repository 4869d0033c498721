using MlOps.Api.Tests.Infrastructure;
using MlOps.Api.Tests.Infrastructure.Probes;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Workspace isolation over every route of every surface, from the server's route table. Each route is called with its
/// realistic request (<see cref="ProbeCatalog"/>) twice: aimed by another workspace at the owner's objects, where no
/// answer may carry the owner's marker and afterwards every stored row of the owner is as it was; and aimed by that
/// workspace at its own objects, where it must succeed, which proves that the first call reached the store and did not
/// stop at validation.
/// </summary>
public abstract class TenancyMatrixTests(IServerFixture fixture)
{
    [Fact]
    public async Task No_route_lets_another_workspace_read_change_or_delete_the_owners_objects()
    {
        var factory = fixture.Factory;
        var owner = await World.SeedAsync(factory);
        owner.WorkspaceId = await TenantRows.WorkspaceIdAsync(factory, owner["workspace"]);
        var ownerRows = await TenantRows.FingerprintAsync(factory, owner.WorkspaceId);
        var http = factory.CreateClient();
        var routes = ProbeCatalog.Probed(RouteTable.Of(factory)).ToList();
        var unwritten = routes.Where(r => ProbeCatalog.For(r) is null).Select(r => $"{r}: no probe").ToList();

        var leaks = new List<string>();
        var changes = new List<string>();
        var unreached = new List<string>();
        World? intruder = null;
        foreach (var route in routes.Where(r => ProbeCatalog.For(r) is not null))
        {
            var probe = ProbeCatalog.For(route)!;
            intruder ??= await World.SeedAsync(factory);

            using var cross = probe.Build(owner);
            intruder.Caller.Authorize(cross, route.Surface);
            using var crossAnswer = await http.SendAsync(cross);
            var text = await crossAnswer.Content.ReadAsStringAsync();
            if (text.Contains(owner.Marker, StringComparison.OrdinalIgnoreCase))
            {
                leaks.Add($"{route}: {(int)crossAnswer.StatusCode} {Cut(text)}");
            }
            var rows = await TenantRows.FingerprintAsync(factory, owner.WorkspaceId);
            if (rows != ownerRows)
            {
                changes.Add($"{route}: {TenantRows.Difference(ownerRows, rows)}");
                ownerRows = rows;
            }

            if (probe.SignsOut)
            {
                intruder = await World.SeedAsync(factory); // signed out by the call above
            }
            using var own = probe.Build(intruder);
            intruder.Caller.Authorize(own, route.Surface);
            using var ownAnswer = await http.SendAsync(own);
            var status = (int)ownAnswer.StatusCode;
            if (probe.Expect is { } expected ? status != expected : status is < 200 or >= 300)
            {
                unreached.Add($"{route}: {status} {Cut(await ownAnswer.Content.ReadAsStringAsync())}");
            }
            if (!ProbeCatalog.IsRead(route) || probe.SignsOut)
            {
                intruder = null; // the next route's own call gets an untouched world
            }
        }
        Assert.True(leaks.Count + changes.Count + unreached.Count + unwritten.Count == 0,
            $"over {routes.Count} routes: {leaks.Count} answered the owner's data, {changes.Count} changed the owner's rows, " +
            $"{unreached.Count} failed on the caller's own objects (so their probe proves nothing), {unwritten.Count} have no probe:\n" +
            string.Join("\n", leaks.Concat(changes).Concat(unreached).Concat(unwritten)));
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

[Collection(PostgresCollection.Name)]
public sealed class TenancyMatrixTestsOnPostgres(PostgresFixture fixture) : TenancyMatrixTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TenancyMatrixTestsOnSqlite(SqliteFixture fixture) : TenancyMatrixTests(fixture);

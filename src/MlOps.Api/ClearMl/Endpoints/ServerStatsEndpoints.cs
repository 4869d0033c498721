using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>server.get_stats</c>: the usage report ClearML's server would send home (this one never sends it anywhere):
/// the server, the workspace's queues, users and runs, and per agent its machine and the runs it made.
/// </summary>
public static class ServerStatsEndpoints
{
    /// <summary>How far back agents count as active, as ClearML's <c>agent_relevant_threshold_days</c>.</summary>
    private static readonly TimeSpan AgentsWindow = TimeSpan.FromDays(30);

    public static void Map(RouteGroupBuilder api) => api.MapAction("server.get_stats", GetStats);

    public sealed record StatsRequest(long? Interval);

    public sealed record Spread(double Min, double Max, double Avg);

    public sealed record Runs(int Count, double AvgRunTimeSec, double AvgIterations, long? LastActivityTime = null);

    public sealed record AgentResources(long IntervalSec, int? NumCores, Spread? CpuUsage, Spread? MemUsedGb, Spread? MemFreeGb);

    public sealed record Agent(string Uuid, AgentResources? Resources, Runs? Experiments);

    public sealed record ServerResources(int NumCores, double ProcessMemoryGb);

    public sealed record Server(string Version, string Deployment, string Uuid, Dictionary<string, int> Queues, Dictionary<string, int> Users, ServerResources Resources, Runs Experiments);

    public sealed record StatsResponse(DateTime Time, string CompanyId, Server Server, List<Agent> Agents);

    /// <summary>Agents' machines over the last <c>interval</c> seconds (a day by default); their runs over the last 30 days.</summary>
    public static async Task<StatsResponse> GetStats(
        ClearMlCall call, ServerSettingsStore settings, QueueRepository queues, UserRepository users, RunStatistics runs, WorkerStatsRepository stats,
        TimeProvider clock, CancellationToken ct)
    {
        var identity = call.Http.Caller().Identity;
        var interval = call.Read<StatsRequest>().Interval is { } seconds and > 0 and < 10L * 365 * 86400 ? seconds : 86400;
        var now = clock.GetUtcNow();
        var machines = await stats.SummariesAsync((now - TimeSpan.FromSeconds(interval)).ToUnixTimeMilliseconds(), ct);
        var active = (await stats.SummariesAsync((now - AgentsWindow).ToUnixTimeMilliseconds(), ct)).ToDictionary(a => a.Worker, a => a.LastReport);
        var perAgent = (await runs.SummariesAsync([.. active.Keys], ct)).ToDictionary(r => r.Worker!);
        var overall = (await runs.SummariesAsync(null, ct)).SingleOrDefault() ?? new RunSummary(null, 0, 0, 0);
        var agents = active.Keys.Order(StringComparer.Ordinal).Select(worker =>
        {
            var machine = machines.SingleOrDefault(m => m.Worker == worker);
            var ran = perAgent.GetValueOrDefault(worker);
            return new Agent(worker,
                machine is null ? null : new AgentResources(interval, machine.DevicesPerCategory.GetValueOrDefault("cpu") is var cores and > 0 ? cores : null,
                    SpreadOf(machine, "cpu_usage", 1), SpreadOf(machine, "memory_used", 1024), SpreadOf(machine, "memory_free", 1024)),
                new Runs(ran?.Count ?? 0, ran?.AverageRunSeconds ?? 0, ran?.AverageIterations ?? 0, active[worker]));
        }).ToList();
        var server = new Server(
            TokenService.ServerVersion, "mlops", (await settings.ServerIdAsync(ct)).ToString("N"),
            new() { ["count"] = await queues.CountAsync(ct) },
            new() { ["count"] = (await users.QueryAsync(new UserQuery(null, null, null, null), ct)).Count },
            new ServerResources(Environment.ProcessorCount, Math.Round(Environment.WorkingSet / 1024.0 / 1024 / 1024, 3)),
            new Runs(overall.Count, overall.AverageRunSeconds, overall.AverageIterations));
        return new StatsResponse(now.UtcDateTime, identity.WorkspaceId.ToString("N"), server, agents);
    }

    /// <summary>A metric's spread, in its unit over <paramref name="divisor"/> (memory is reported in MB, shown in GB).</summary>
    private static Spread? SpreadOf(WorkerSummary machine, string metric, double divisor) =>
        machine.Metrics.TryGetValue(metric, out var m) ? new Spread(m.Min / divisor, m.Max / divisor, m.Average / divisor) : null;
}

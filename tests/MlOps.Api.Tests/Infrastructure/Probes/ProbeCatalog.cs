namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// A realistic request for every route of every surface, each surface's in its own file. ClearML actions answer GET
/// and POST alike (the SDK sends GET with a body), so each is written once, as a POST.
/// </summary>
public static class ProbeCatalog
{
    private static readonly Dictionary<string, Probe> ByRoute = Build();

    private static Dictionary<string, Probe> Build()
    {
        var all = new Dictionary<string, Probe>(StringComparer.Ordinal);
        foreach (var probe in ClearMlProbes.All.Concat(ClearMlTaskProbes.All).Concat(ClearMlServicesProbes.All).Concat(CometProbes.All).Concat(ZenMlProbes.All).Concat(ClarifaiProbes.All).Concat(MlflowProbes.All))
        {
            if (!all.TryAdd(probe.Route, probe))
            {
                throw new InvalidOperationException($"two probes for {probe.Route}");
            }
        }
        return all;
    }

    public static IReadOnlyCollection<Probe> All => ByRoute.Values;

    /// <summary>
    /// The routes a probe run covers: every route but the operations', ClearML's once per action. While a surface's
    /// probes are being written, <c>MLOPS_PROBE_SURFACE</c> (a surface name) narrows the run to that surface.
    /// </summary>
    public static IEnumerable<RouteCase> Probed(IEnumerable<RouteCase> routes) =>
        routes.Where(r => r.Surface != Surface.Operations && !(r.Surface == Surface.ClearMl && r.Method == "GET" && r.Pattern.Contains('.')))
            .Where(r => !r.Pattern.StartsWith("/ajax-api/", StringComparison.Ordinal) && !r.Pattern.StartsWith("/mlflow/", StringComparison.Ordinal)) // MLflow's UI prefixes: the handlers of /api/2.0 and /
            .Where(r => Environment.GetEnvironmentVariable("MLOPS_PROBE_SURFACE") is not { Length: > 0 } only
                || only.Split(',').Any(s => s == r.Surface.ToString() || (s.StartsWith('/') && r.Pattern.StartsWith(s, StringComparison.Ordinal))));

    public static Probe? For(RouteCase route) =>
        ByRoute.GetValueOrDefault($"{(route.Surface == Surface.ClearMl && route.Pattern.Contains('.') ? "POST" : route.Method)} {route.Pattern}");

    /// <summary>Whether the route only reads, so the next route's probe may use the same world.</summary>
    public static bool IsRead(RouteCase route) =>
        route.Surface == Surface.ClearMl
            ? route.Pattern.Split('.').Last() is var action && (action.StartsWith("get", StringComparison.Ordinal) || action is "ping" or "info" or "endpoints")
            : route.Method == "GET" && !route.Pattern.Contains("/write/", StringComparison.Ordinal)
                && !route.Pattern.EndsWith("/logout", StringComparison.Ordinal) && !route.Pattern.EndsWith("/symlink/new", StringComparison.Ordinal);
}

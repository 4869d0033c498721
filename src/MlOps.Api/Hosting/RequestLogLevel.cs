using Serilog.Events;

namespace MlOps.Api.Hosting;

/// <summary>
/// How loud each request's log line is: failures and slow answers stand out; the stream of successful calls clients make
/// (SDKs report every few seconds, Comet one request per point) is Debug, shown with
/// <c>Serilog__MinimumLevel__Default=Debug</c>; health probes (polled by orchestrators) stay quiet.
/// </summary>
public static class RequestLogLevel
{
    private const double SlowMilliseconds = 1000;

    public static LogEventLevel Of(HttpContext http, double elapsedMilliseconds, Exception? error) =>
        error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
        : http.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
        : elapsedMilliseconds >= SlowMilliseconds ? LogEventLevel.Warning
        : http.Response.StatusCode >= 400 ? LogEventLevel.Information
        : LogEventLevel.Debug;
}

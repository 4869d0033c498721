using Serilog.Events;

namespace MlOps.Api.Hosting;

/// <summary>How loud each request's log line is: failures stand out, health probes (polled by orchestrators) stay quiet.</summary>
public static class RequestLogLevel
{
    public static LogEventLevel Of(HttpContext http, double elapsedMilliseconds, Exception? error) =>
        error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
        : http.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
        : LogEventLevel.Information;
}

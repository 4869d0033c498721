using MlOps.Api.Platform;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// Comet's clientlib protocol under <c>/clientlib</c>, what <c>comet_ml.Experiment</c> logs through: the run
/// handshake, heartbeats, metric and parameter batches (gzip-compressed), uploads and remote calls. It writes through
/// the same repositories and ingest as REST v2, which comet_ml also reaches as <c>/clientlib/rest/v2</c>.
/// </summary>
public static class ClientlibApi
{
    public const string Prefix = "/clientlib";

    /// <summary>
    /// The Comet server version claimed to the SDK. comet_ml turns features on by it: offline fallback (3.3.11), tag
    /// and remote-asset batch calls (3.12.26), all metrics in one read (3.20.60), parameter deletion (3.29.724); all
    /// of those are served. From 3.62.294 it would expect raw throttling messages, which this server never sends.
    /// </summary>
    public const string ClaimedVersion = "3.40.0";

    private const string RestPrefix = Prefix + "/rest/v2";

    public static RouteGroupBuilder MapCometClientlib(this IEndpointRouteBuilder app)
    {
        // Asked before any credential is checked (comet_ml's API() asks it too), so these answer anyone.
        app.MapGet(Prefix + "/isAlive/ver", () => CometApi.Json(new VersionResponse(ClaimedVersion), 200)).WithTags("Comet clientlib");
        app.MapGet(Prefix + "/health/ping", () => CometApi.Json(new { msg = "pong" }, 200)).WithTags("Comet clientlib");

        var api = app.MapGroup(Prefix).WithTags("Comet clientlib").WithDialect(ClientlibDialect.Instance).RequireAuthorization(Auth.AuthSchemes.CometPolicy);
        ClientlibRuns.Map(api);
        ClientlibBatches.Map(api);
        ClientlibUploads.Map(api);
        ClientlibPoints3d.Map(api);
        ClientlibRemoteCalls.Map(api);
        return api;
    }

    /// <summary><c>/clientlib/rest/v2/...</c> is REST v2 itself: the request goes on as <c>/api/rest/v2/...</c>.</summary>
    public static IApplicationBuilder UseCometClientlibRestPaths(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(RestPrefix, out var rest))
            {
                http.Request.Path = CometApi.Prefix + rest;
            }
            return next(http);
        });

    public sealed record VersionResponse(string Version);
}

/// <summary>
/// Comet's dialect, except that a missing or unknown API key is the error comet_ml recognises as such (400 with
/// <see cref="SdkErrorCode.ApiKeyNotRegistered"/>) and reports to the user, rather than a failed request.
/// </summary>
public sealed class ClientlibDialect : CometDialect
{
    public static new readonly ClientlibDialect Instance = new();

    public override IResult Unauthorized(HttpContext http, Auth.AuthFailureException failure) =>
        failure.Throttled is null
            ? CometApi.Error(new CometException(400, "API key is not registered", SdkErrorCode.ApiKeyNotRegistered))
            : base.Unauthorized(http, failure);
}

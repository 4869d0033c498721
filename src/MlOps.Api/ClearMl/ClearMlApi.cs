using System.Text.RegularExpressions;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>Who may call a ClearML endpoint.</summary>
public enum ClearMlAccess
{
    /// <summary>A Bearer token from auth.login (the default).</summary>
    Token,
    /// <summary>auth.login itself: Basic key:secret, or a still-valid Bearer token.</summary>
    Login,
    /// <summary>No credentials needed (debug.ping, server.info).</summary>
    Anonymous,
}

/// <summary>Endpoint metadata overriding the default <see cref="ClearMlAccess.Token"/>.</summary>
public sealed record ClearMlAccessRule(ClearMlAccess Access);

/// <summary>
/// The ClearML surface: every endpoint is <c>/{service}.{action}</c>, reachable also as
/// <c>/v{N}/{service}.{action}</c> and under <c>/api</c>, with GET or POST. Each service file declares its table of actions.
/// </summary>
public static partial class ClearMlApi
{
    [GeneratedRegex(@"^/(?:api/)?(?:v(?<version>\d+(?:\.\d+)?)/)?(?<name>[A-Za-z_]\w*\.[A-Za-z_]\w*)/?$")]
    private static partial Regex EndpointPath();

    /// <summary>
    /// Strips the version prefix (and the <c>/api</c> prefix the web UI puts before it) before routing, so one
    /// route serves every version.
    /// </summary>
    public static IApplicationBuilder UseClearMlVersionedPaths(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var match = EndpointPath().Match(context.Request.Path.Value ?? "");
            if (match.Success)
            {
                if (match.Groups["version"].Success)
                {
                    context.Items[ClearMlCall.VersionItem] = match.Groups["version"].Value;
                }
                context.Request.Path = "/" + match.Groups["name"].Value;
            }
            return next(context);
        });

    public static RouteGroupBuilder MapClearMl(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("ClearML").AddEndpointFilter(Invoke);
        AuthService.Map(api);
        ServerService.Map(api);
        UsersService.Map(api);
        UserAdminService.Map(api);
        LoginService.Map(api);
        OrganizationService.Map(api);
        ProjectsService.Map(api);
        ProjectContentsService.Map(api);
        TasksService.Map(api);
        TaskParametersService.Map(api);
        TaskDocumentsService.Map(api);
        TasksBatchService.Map(api);
        ModelsService.Map(api);
        EventsService.Map(api);
        EventsReadService.Map(api);
        FilesService.Map(api);
        QueuesService.Map(api);
        WorkersService.Map(api);
        QueuedTasksService.Map(api);
        PipelinesService.Map(api);
        ReportsService.Map(api);
        ClearMlExport.Map(api);
        api.MapMethods("/{service}.{action}", ["GET", "POST"], UnknownEndpoint)
            .Allow(ClearMlAccess.Anonymous)
            .ExcludeFromDescription();
        return api;
    }

    public static RouteHandlerBuilder MapAction(this RouteGroupBuilder api, string name, Delegate handler) =>
        api.MapMethods("/" + name, ["GET", "POST"], handler)
            .WithName(name)
            .WithMetadata(new ClearMlEndpointName(name));

    public static RouteHandlerBuilder Allow(this RouteHandlerBuilder endpoint, ClearMlAccess access) =>
        endpoint.WithMetadata(new ClearMlAccessRule(access));

    private static object UnknownEndpoint(HttpContext http) =>
        throw new ClearMlException(404, 0,
            $"Unable to find endpoint for name {http.Request.Path.Value?.TrimStart('/')} and version "
            + (http.Items[ClearMlCall.VersionItem] as string ?? ClearMlEnvelope.LatestVersion));

    /// <summary>Checks the caller, runs the handler, and wraps what it returns (or throws) in the envelope.</summary>
    private static async ValueTask<object?> Invoke(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            NulGuard.ThrowIfInPathOrQuery(http);
            await AuthorizeAsync(http);
            ClearMlCall.ThrowIfBodyUnreadable(http);
            var data = await ConflictRetry.InvokeAsync(context, next);
            return data as IResult ?? ClearMlEnvelope.Ok(http, data);
        }
        catch (ClearMlException error)
        {
            return ClearMlEnvelope.Error(http, error);
        }
        catch (BadHttpRequestException error)
        {
            return ClearMlEnvelope.Error(http, new ClearMlException(error.StatusCode, 0, error.Message));
        }
        catch (DomainException error)
        {
            return ClearMlEnvelope.Error(http, ClearMlErrors.From(error));
        }
        catch (Exception refused) when (DomainException.FromDatabase(refused) is { } error)
        {
            return ClearMlEnvelope.Error(http, ClearMlErrors.From(error));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A defect, not bad input: logged with its stack, answered in ClearML's format so clients report it readably.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClearMlApi))
                .LogError(error, "Unhandled error in {Endpoint}", http.Request.Path.Value);
            return ClearMlEnvelope.Error(http, new ClearMlException(500, 0, "Internal server error"));
        }
    }

    private static async Task AuthorizeAsync(HttpContext http)
    {
        var access = http.GetEndpoint()?.Metadata.GetMetadata<ClearMlAccessRule>()?.Access ?? ClearMlAccess.Token;
        if (access == ClearMlAccess.Anonymous)
        {
            return;
        }
        var method = http.User.Method();
        if (method is null)
        {
            var failure = await http.AuthenticationFailureAsync();
            failure.Throttled?.AddRetryAfter(http.Response);
            throw Unauthorized(failure);
        }
        if (!(method == AuthMethod.Bearer || (method == AuthMethod.Basic && access == ClearMlAccess.Login)))
        {
            throw Unauthorized(new AuthFailureException(AuthFailure.WrongScheme, "bad authentication header type"));
        }
    }

    private static ClearMlException Unauthorized(AuthFailureException failure) => failure.Failure switch
    {
        AuthFailure.Missing => new(401, 20, "Unauthorized (missing credentials)"),
        AuthFailure.Malformed => new(401, 21, "Unauthorized (malformed credentials)"),
        AuthFailure.InvalidCredentials => new(401, 22, "Unauthorized (invalid credentials)"),
        AuthFailure.ExpiredToken => new(401, 30, "Invalid token (token expired)"),
        AuthFailure.InvalidToken => new(401, 30, "Invalid token"),
        AuthFailure.Throttled => new(429, 0, "Too many failed sign-in attempts; try again later"),
        _ => new(401, 10, "Unauthorized (bad authentication header type)"),
    };
}

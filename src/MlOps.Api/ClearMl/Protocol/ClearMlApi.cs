using System.Text.RegularExpressions;
using MlOps.Api.Platform;

namespace MlOps.Api.ClearMl;

/// <summary>
/// The ClearML surface: every endpoint is <c>/{service}.{action}</c>, reachable also as
/// <c>/v{N}/{service}.{action}</c> and under <c>/api</c>, with GET or POST. Each endpoint module (Endpoints/) declares its table of actions.
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

    public static IServiceCollection AddClearMl(this IServiceCollection services) => services.AddScoped<ClearMlReferences>();

    public static RouteGroupBuilder MapClearMl(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("ClearML").WithDialect(ClearMlDialect.Instance).RequireAuthorization(Auth.AuthSchemes.ClearMlPolicy);
        AuthEndpoints.Map(api);
        ServerEndpoints.Map(api);
        ServerStatsEndpoints.Map(api);
        ServerConfigEndpoints.Map(api);
        UsersEndpoints.Map(api);
        UserAdminEndpoints.Map(api);
        LoginEndpoints.Map(api);
        OrganizationEndpoints.Map(api);
        EntityCountsEndpoints.Map(api);
        ProjectsEndpoints.Map(api);
        ProjectContentsEndpoints.Map(api);
        TasksEndpoints.Map(api);
        TaskParametersEndpoints.Map(api);
        TaskDocumentsEndpoints.Map(api);
        TasksBatchEndpoints.Map(api);
        ModelsEndpoints.Map(api);
        EventsEndpoints.Map(api);
        EventsReadEndpoints.Map(api);
        FilesEndpoints.Map(api);
        QueuesEndpoints.Map(api);
        WorkersEndpoints.Map(api);
        QueuedTasksEndpoints.Map(api);
        PipelinesEndpoints.Map(api);
        ReportsEndpoints.Map(api);
        StorageEndpoints.Map(api);
        ServingEndpoints.Map(api);
        ExportEndpoints.Map(api);
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
        access == ClearMlAccess.Anonymous ? endpoint.AllowAnonymous() : endpoint.WithMetadata(new ClearMlAccessRule(access));

    private static object UnknownEndpoint(HttpContext http) =>
        throw new ClearMlException(404, 0,
            $"Unable to find endpoint for name {http.Request.Path.Value?.TrimStart('/')} and version "
            + (http.Items[ClearMlCall.VersionItem] as string ?? ClearMlEnvelope.LatestVersion));
}

using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Clarifai;

/// <summary>A successful answer: its status code and the payload beside the status.</summary>
public sealed record ClarifaiReply(int Code, JsonObject Payload)
{
    public static ClarifaiReply Ok(JsonObject payload) => new(ClarifaiStatus.Success, payload);
}

/// <summary>
/// The Clarifai v2 surface: one table of operations, served on REST in both route forms (<c>/v2/...</c> acts on the
/// app the request names in <c>user_app_id</c>, else the workspace's <c>default</c> app;
/// <c>/v2/users/{user_id}/apps/{app_id}/...</c> on the app in the path) and on gRPC (<c>clarifai.api.V2</c>, the app in
/// the message's <c>user_app_id</c>). An app is a project of the workspace; the user is the caller (<c>me</c>, their
/// user name, or their workspace's name). Every answer carries Clarifai's <c>status</c> with its codes.
/// </summary>
public static partial class ClarifaiApi
{
    public const string DefaultApp = "default";
    private const string AppKey = "mlops:clarifai:app";

    /// <summary>What only Clarifai keeps (inputs, concepts, annotations, annotation filters and search metrics) and its gRPC service.</summary>
    public static IServiceCollection AddClarifai(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddSingleton<global::Grpc.AspNetCore.Server.Model.IServiceMethodProvider<Grpc.ClarifaiGrpcService>, Grpc.ClarifaiGrpcMethods>();
        return services.AddScoped<AnnotationRepository>();
    }

    /// <summary>Every operation served, on REST (where it has routes) and on gRPC alike.</summary>
    public static readonly IReadOnlyList<ClarifaiOperation> Operations =
    [
        .. ClarifaiInputs.Operations, .. ClarifaiConcepts.Operations, .. ClarifaiAnnotations.Operations,
        .. ClarifaiAnnotationFilters.Operations, .. ClarifaiSearchMetrics.Operations, .. ClarifaiApps.Operations,
    ];

    public static void MapClarifai(this IEndpointRouteBuilder app)
    {
        MapRoutes(app.MapGroup("/v2"), ClarifaiForms.Short);
        MapRoutes(app.MapGroup("/v2/users/{user_id}/apps/{app_id}"), ClarifaiForms.App);
        MapRoutes(app.MapGroup("/v2/users/{user_id}"), ClarifaiForms.User);
        app.MapGrpcService<Grpc.ClarifaiGrpcService>();
    }

    private static void MapRoutes(RouteGroupBuilder group, ClarifaiForms form)
    {
        group.WithTags("Clarifai").WithDialect(ClarifaiDialect.Instance).RequireAuthorization(AuthSchemes.ClarifaiPolicy);
        ClarifaiRest.Map(group, form, Operations);
    }

    /// <summary>The app the request acts on (resolved before the handler runs).</summary>
    public static Project App(HttpContext http) => (Project)http.Items[AppKey]!;

    [GeneratedRegex(@"^\s*[Kk][Ee][Yy]\s+\S+\s*$")]
    private static partial Regex KeyHeader();

    public static ClarifaiException FromDomain(DomainException e) => e.Error switch
    {
        DomainError.NotFound => ClarifaiException.NotFound($"{e.Entity} does not exist: {e.Message}"),
        DomainError.AlreadyExists => new ClarifaiException(ClarifaiStatus.DuplicateKey, e.Message),
        DomainError.Unavailable => new ClarifaiException(ClarifaiStatus.InternalFetchingIssue, e.Message),
        _ => ClarifaiException.Invalid(e.Message),
    };

    /// <summary>Clarifai's answer: <c>{"status": {code, description, details, req_id}, ...payload}</c>.</summary>
    public static IResult Answer(int code, JsonObject payload, string? details, int? httpStatus = null) =>
        Results.Json(Body(code, payload, details), JsonSerializerOptions.Default, "application/json", httpStatus ?? ClarifaiStatus.HttpStatus(code));

    /// <summary>The answer's body, the same on both transports (gRPC reads it into the response message).</summary>
    public static JsonObject Body(int code, JsonObject payload, string? details)
    {
        var status = ClarifaiJson.Status(code, details);
        status["req_id"] = Guid.NewGuid().ToString("N");
        var body = new JsonObject { ["status"] = status };
        foreach (var (name, value) in payload.ToList())
        {
            payload.Remove(name);
            body[name] = value;
        }
        return body;
    }

    /// <summary>The refusal of a request without a valid <c>Key</c> credential, as Clarifai words it.</summary>
    public static ClarifaiException Unauthorized(HttpContext http) =>
        KeyHeader().IsMatch(http.Request.Headers.Authorization.ToString())
            ? new ClarifaiException(ClarifaiStatus.KeyNotFound, "API key not found")
            : new ClarifaiException(ClarifaiStatus.InvalidRequest, "empty or malformed authorization header", 401);

    /// <summary>Resolves the app the request acts on, before the handler runs.</summary>
    public static async Task BeforeAsync(HttpContext http) => http.Items[AppKey] = await ResolveAppAsync(http);

    private static Task<Project> ResolveAppAsync(HttpContext http)
    {
        string? Named(string route, params string[] queryNames) =>
            http.GetRouteValue(route) as string ?? queryNames.Select(n => http.Request.Query[n].ToString()).FirstOrDefault(v => v.Length > 0);
        return ResolveAppAsync(http.RequestServices, http.Caller().Identity,
            Named("user_id", "user_app_id.user_id", "userAppId.userId"), Named("app_id", "user_app_id.app_id", "userAppId.appId"), http.RequestAborted);
    }

    /// <summary>
    /// The app a request names: the user must be the caller (<c>me</c>, their user name or their workspace's name);
    /// no app is the <c>default</c> one, created on first use; an unknown app does not exist.
    /// </summary>
    public static async Task<Project> ResolveAppAsync(IServiceProvider services, Identity identity, string? user, string? appId, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(user) && user != "me" && user != identity.UserName && user != identity.WorkspaceName)
        {
            throw ClarifaiException.NotFound($"user {user} does not exist");
        }
        appId = string.IsNullOrEmpty(appId) ? DefaultApp : appId;
        var projects = services.GetRequiredService<ProjectRepository>();
        return appId == DefaultApp
            ? await projects.GetOrCreateAsync(new ProjectDraft(DefaultApp, "Clarifai default app"), identity.UserId, ct)
            : await projects.FindByNameAsync(appId, ct) ?? throw ClarifaiException.NotFound($"app {appId} does not exist");
    }
}

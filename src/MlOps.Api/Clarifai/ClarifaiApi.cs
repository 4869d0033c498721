using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>A successful answer: its status code and the payload beside the status.</summary>
public sealed record ClarifaiReply(int Code, JsonObject Payload)
{
    public static ClarifaiReply Ok(JsonObject payload) => new(ClarifaiStatus.Success, payload);
}

/// <summary>
/// The Clarifai v2 surface, twice: <c>/v2/...</c> acts on the app the request names in <c>user_app_id</c> (else
/// the workspace's <c>default</c> app), <c>/v2/users/{user_id}/apps/{app_id}/...</c> on the app in the path. An app
/// is a project of the workspace; the user is the caller (<c>me</c>, their user name, or their workspace's name).
/// Every answer is <c>{"status": {...}, ...}</c> with Clarifai's codes.
/// </summary>
public static partial class ClarifaiApi
{
    public const string DefaultApp = "default";
    private const string AppKey = "mlops:clarifai:app";

    /// <summary>What only Clarifai keeps: inputs, concepts, annotations, annotation filters and search metrics.</summary>
    public static IServiceCollection AddClarifai(this IServiceCollection services) => services.AddScoped<AnnotationRepository>();

    public static void MapClarifai(this IEndpointRouteBuilder app)
    {
        MapRoutes(app.MapGroup("/v2"));
        MapRoutes(app.MapGroup("/v2/users/{user_id}/apps/{app_id}"));
    }

    private static void MapRoutes(RouteGroupBuilder group)
    {
        group.WithTags("Clarifai").WithDialect(ClarifaiDialect.Instance).RequireAuthorization(AuthSchemes.ClarifaiPolicy);
        ClarifaiInputs.Map(group);
        ClarifaiConcepts.Map(group);
        ClarifaiAnnotations.Map(group);
        ClarifaiAnnotationFilters.Map(group);
        ClarifaiSearchMetrics.Map(group);
    }

    /// <summary>The app the request acts on (resolved before the handler runs).</summary>
    public static Project App(HttpContext http) => (Project)http.Items[AppKey]!;

    [GeneratedRegex(@"^\s*[Kk][Ee][Yy]\s+\S+\s*$")]
    private static partial Regex KeyHeader();

    public static (int Code, string Details) FromDomain(DomainException e) => e.Error switch
    {
        DomainError.NotFound => (ClarifaiStatus.DoesNotExist, $"{e.Entity} does not exist: {e.Message}"),
        DomainError.AlreadyExists => (ClarifaiStatus.DuplicateKey, e.Message),
        _ => (ClarifaiStatus.InvalidRequest, e.Message),
    };

    /// <summary>Clarifai's answer: <c>{"status": {code, description, details, req_id}, ...payload}</c>.</summary>
    public static IResult Answer(HttpContext http, int code, JsonObject payload, string? details, int? httpStatus = null)
    {
        var status = ClarifaiJson.Status(code, details);
        status["req_id"] = Guid.NewGuid().ToString("N");
        var body = new JsonObject { ["status"] = status };
        foreach (var (name, value) in payload.ToList())
        {
            payload.Remove(name);
            body[name] = value;
        }
        return Results.Json(body, JsonSerializerOptions.Default, "application/json", httpStatus ?? ClarifaiStatus.HttpStatus(code));
    }

    /// <summary>The refusal of a request without a valid <c>Key</c> credential, as Clarifai words it.</summary>
    public static ClarifaiException Unauthorized(HttpContext http) =>
        KeyHeader().IsMatch(http.Request.Headers.Authorization.ToString())
            ? new ClarifaiException(ClarifaiStatus.KeyNotFound, "API key not found")
            : new ClarifaiException(ClarifaiStatus.InvalidRequest, "empty or malformed authorization header", 401);

    /// <summary>Resolves the app the request acts on, before the handler runs.</summary>
    public static async Task BeforeAsync(HttpContext http) => http.Items[AppKey] = await ResolveAppAsync(http);

    private static async Task<Project> ResolveAppAsync(HttpContext http)
    {
        var query = http.Request.Query;
        string? Named(string route, params string[] queryNames) =>
            http.GetRouteValue(route) as string ?? queryNames.Select(n => query[n].ToString()).FirstOrDefault(v => v.Length > 0);
        var identity = http.Caller().Identity;
        var user = Named("user_id", "user_app_id.user_id", "userAppId.userId");
        if (user is not null && user != "me" && user != identity.UserName && user != identity.WorkspaceName)
        {
            throw ClarifaiException.NotFound($"user {user} does not exist");
        }
        var appId = Named("app_id", "user_app_id.app_id", "userAppId.appId") ?? DefaultApp;
        var projects = http.RequestServices.GetRequiredService<ProjectRepository>();
        return appId == DefaultApp
            ? await projects.GetOrCreateAsync(new ProjectDraft(DefaultApp, "Clarifai default app"), identity.UserId, http.RequestAborted)
            : await projects.FindByNameAsync(appId, http.RequestAborted) ?? throw ClarifaiException.NotFound($"app {appId} does not exist");
    }

    /// <summary>Page numbers start at 1 (0 is 1); pages hold 128 items unless asked, at most 1,000.</summary>
    public static (int Page, int PerPage) Paging(HttpContext http)
    {
        int Read(string snake, string camel, int fallback)
        {
            var text = http.Request.Query[snake].ToString() is { Length: > 0 } s ? s : http.Request.Query[camel].ToString();
            return text.Length == 0 ? fallback
                : int.TryParse(text, out var n) && n >= 0 ? n
                : throw ClarifaiException.Invalid($"{snake} must be a non-negative integer");
        }
        var page = Math.Max(1, Read("page", "page", 1));
        var perPage = Read("per_page", "perPage", 128);
        return (page, Math.Clamp(perPage == 0 ? 128 : perPage, 1, 1000));
    }

    /// <summary>A repeated query parameter (<c>ids=a&amp;ids=b</c>) in either casing.</summary>
    public static List<string> QueryList(HttpContext http, string snake)
    {
        var camel = ClarifaiCamel(snake);
        var values = camel == snake ? http.Request.Query[snake] : Microsoft.Extensions.Primitives.StringValues.Concat(http.Request.Query[snake], http.Request.Query[camel]);
        return [.. values.OfType<string>().Where(v => v.Length > 0)];
    }

    private static string ClarifaiCamel(string snake) =>
        string.Concat(snake.Split('_').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}

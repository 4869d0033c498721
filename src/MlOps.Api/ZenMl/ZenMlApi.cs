using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Serialization;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ZenMl;

/// <summary>
/// The ZenML REST surface under <c>/api/v1</c>: a form login hands out a JWT, every other call carries it as
/// <c>Bearer</c>. Bodies are snake_case JSON without null fields; errors are ZenML's <c>detail</c> bodies.
/// </summary>
public static class ZenMlApi
{
    public const string Prefix = "/api/v1";
    private const int MaxPageSize = 1000;
    private static readonly string[] Operators = ["equals", "notequals", "contains", "startswith", "endswith", "oneof", "gt", "gte", "lt", "lte"];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>What only ZenML keeps: pipelines with their deployments and schedules, stacks with their components and connectors, secrets.</summary>
    public static IServiceCollection AddZenMl(this IServiceCollection services) =>
        services.AddScoped<PipelineRepository>().AddScoped<StackRepository>().AddScoped<SecretRepository>();

    public static void MapZenMl(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup(Prefix).WithTags("ZenML").WithDialect(ZenMlDialect.Instance).AllowAnonymous();
        ZenMlAuth.MapOpen(open);
        var api = app.MapGroup(Prefix).WithTags("ZenML").WithDialect(ZenMlDialect.Instance).RequireAuthorization(AuthSchemes.ZenMlPolicy);
        ZenMlUsers.Map(api);
        ZenMlProjects.Map(api);
        ZenMlServerSettings.Map(api);
        ZenMlPipelines.Map(api);
        ZenMlStacks.Map(api);
        ZenMlFlavorRoutes.Map(api);
        ZenMlRuns.Map(api);
        ZenMlDeployments.Map(api);
        ZenMlServiceAccounts.Map(api);
        ZenMlArtifacts.Map(api);
        ZenMlModels.Map(api);
        ZenMlSecrets.Map(api);
        ZenMlTagRoutes.Map(api);
        ZenMlCodeRepositories.Map(api);
    }

    /// <summary>ZenML's error body: <c>{"detail": [exception class, message]}</c>, or FastAPI's validation list at a location.</summary>
    public static IResult Error(ZenMlException error) =>
        Results.Json(error.Location is null
            ? new { detail = new[] { error.ExceptionType, error.Message } }
            : new { detail = new object[] { new { loc = error.Location, msg = error.Message, type = "value_error" } } },
            Json, statusCode: error.Status);

    public static IResult Created(object body) => Results.Json(body, Json, statusCode: 201);

    public static Identity Caller(HttpContext http) => http.Caller().Identity;

    public static void RequireAdmin(HttpContext http)
    {
        if (Caller(http).Role != UserRole.Admin)
        {
            throw ZenMlException.Forbidden("this operation needs an admin account");
        }
    }

    /// <summary>Reads a JSON object body as <typeparamref name="T"/>; malformed JSON or a mistyped field is a 422 at its location.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext http) where T : class
    {
        if (!(http.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw ZenMlException.Invalid("the body must be JSON (Content-Type: application/json)", "body");
        }
        try
        {
            using var document = JsonDocument.Parse(await Hosting.RequestBody.BytesAsync(http));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ZenMlException.Invalid("the body must be a JSON object", "body");
            }
            return document.RootElement.Deserialize<T>(Json) ?? throw ZenMlException.Invalid("the body must be a JSON object", "body");
        }
        catch (JsonException e)
        {
            object[] location = e.Path is { Length: > 2 } path ? ["body", .. path[2..].Split('.')] : ["body"];
            throw ZenMlException.Invalid(e.Path is null ? $"invalid JSON: {e.Message}" : "value is not of the expected type", location);
        }
    }

    public static T Required<T>(T? value, string field) where T : class =>
        value ?? throw ZenMlException.Invalid("field required", "body", field);

    /// <summary>A value that must be one of <paramref name="allowed"/>.</summary>
    public static string? OneOf(string? value, string field, IReadOnlyCollection<string> allowed) =>
        value is null || allowed.Contains(value) ? value
        : throw ZenMlException.Invalid($"value is not a valid enumeration member; permitted: {string.Join(", ", allowed.Select(a => $"'{a}'"))}", "body", field);

    public static Guid PathId(string text, string name) =>
        Guid.TryParse(text, out var id) ? id : throw ZenMlException.Invalid("value is not a valid uuid", "path", name);

    /// <summary>Times without a zone are UTC, as ZenML clients send them.</summary>
    public static DateTime? Utc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
        { } v => v.ToUniversalTime(),
    };

    public static string? JsonText(JsonElement? value, string field) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } v => v.GetRawText(),
        _ => throw ZenMlException.Invalid("value is not a valid dict", "body", field),
    };

    public static JsonElement? JsonObject(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    private sealed record Page(int Index, int MaxSize, int TotalPages, int Total, IEnumerable<object> Items);

    /// <summary>
    /// One page of <paramref name="rows"/> as ZenML lists answer: <c>page</c> (from 1), <c>size</c>, <c>sort_by</c>
    /// (<c>created</c>, <c>desc:name</c>), <c>logical_operator</c> (and/or), and a filter per known field
    /// (<c>name=contains:abc</c>; a bare value means equals).
    /// </summary>
    public static async Task<IResult> PageAsync<T>(
        HttpContext http, IQueryable<T> rows, FieldFilters<T> fields, Expression<Func<T, Guid>> id, Func<T, object> render)
    {
        var query = http.Request.Query;
        var number = QueryInt(query, "page", 1, 1, int.MaxValue);
        var size = QueryInt(query, "size", 20, 1, MaxPageSize);
        var sortText = query["sort_by"].ToString() is { Length: > 0 } s ? s : "created";
        var descending = sortText.StartsWith("desc:", StringComparison.Ordinal);
        var sortField = sortText.Contains(':') ? sortText[(sortText.IndexOf(':') + 1)..] : sortText;
        if (!fields.Knows(sortField) || (sortText.Contains(':') && !descending && !sortText.StartsWith("asc:", StringComparison.Ordinal)))
        {
            throw ZenMlException.Invalid($"invalid sort_by: {sortText}", "query", "sort_by");
        }
        var logical = query["logical_operator"].ToString() is { Length: > 0 } l ? l : "and";
        if (logical is not ("and" or "or"))
        {
            throw ZenMlException.Invalid("value is not a valid enumeration member; permitted: 'and', 'or'", "query", "logical_operator");
        }
        var conditions = query.Where(q => fields.Knows(q.Key)).SelectMany(q => q.Value.Select(v => Condition(q.Key, v ?? ""))).ToList();
        var request = new PageRequest(conditions, logical == "or", new Data.Querying.SortKey(sortField, descending), number, size);
        PageResult<T> result;
        try
        {
            result = await fields.PageAsync(rows, request, id, http.RequestAborted);
        }
        catch (DomainException e)
        {
            throw ZenMlException.Invalid(e.Message, "query");
        }
        var totalPages = Math.Max(1, (result.Total + size - 1) / size);
        if (number > totalPages)
        {
            throw new ZenMlException(400, "ValueError",
                $"Invalid page {number}. The requested page size is {size} and there are a total of {result.Total} items for this query. The maximum page value therefore is {totalPages}.");
        }
        ZenMlView.Of(http).Listing = true;
        return Results.Json(new Page(number, size, totalPages, result.Total, result.Items.Select(render).ToList()), Json);
    }

    /// <summary>A page of a fixed, in-memory list (a catalog such as the flavors), numbered as <see cref="PageAsync{T}"/> numbers.</summary>
    public static IResult StaticPage<T>(HttpContext http, IReadOnlyList<T> items, Func<T, object> render)
    {
        var number = QueryInt(http.Request.Query, "page", 1, 1, int.MaxValue);
        var size = QueryInt(http.Request.Query, "size", 20, 1, MaxPageSize);
        var totalPages = Math.Max(1, (items.Count + size - 1) / size);
        ZenMlView.Of(http).Listing = true;
        return Results.Json(new Page(number, size, totalPages, items.Count, items.Skip((number - 1) * size).Take(size).Select(render)), Json);
    }

    private static FieldCondition Condition(string field, string value)
    {
        var colon = value.IndexOf(':');
        return colon > 0 && Operators.Contains(value[..colon])
            ? new FieldCondition(field, value[..colon], value[(colon + 1)..])
            : new FieldCondition(field, "equals", value);
    }

    private static int QueryInt(IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw ZenMlException.Invalid("value is not a valid integer", "query", name);
        }
        return value < min ? throw ZenMlException.Invalid($"ensure this value is greater than or equal to {min}", "query", name)
            : value > max ? throw ZenMlException.Invalid($"ensure this value is less than or equal to {max}", "query", name)
            : value;
    }
}

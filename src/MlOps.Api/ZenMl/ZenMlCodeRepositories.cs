using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Code repositories: where a project's pipeline code lives (a GitHub or GitLab repository and the class that reads it),
/// registered so runs can name the commit they ran. Nothing else keeps them, so they are the workspace's own list.
/// </summary>
public static class ZenMlCodeRepositories
{
    private sealed record CodeRepositoryRequest(
        string? Name, string? Project, string? Description, string? LogoUrl, JsonElement? Source, JsonElement? Config);

    public sealed record StoredRepository(
        Guid Id, string Name, Guid ProjectId, string? Description, string? LogoUrl, JsonObject Source, JsonObject Config,
        DateTime Created, DateTime Updated, Guid? UserId);

    private sealed record RepositoryBody(DateTime Created, DateTime Updated, Guid? UserId, Guid ProjectId, JsonObject Source, string? LogoUrl);

    private sealed record RepositoryMetadata(JsonObject Config, string? Description);

    private static readonly ZenMlCatalog<StoredRepository> Catalog = new("code_repositories");

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/code_repositories", async (HttpContext http) =>
        {
            var query = http.Request.Query;
            var name = query["name"].ToString();
            var project = query["project"].ToString() is { Length: > 0 } p ? p : query["project_id"].ToString();
            var rows = (await Catalog.ReadAsync(http))
                .Where(r => (name.Length == 0 || r.Name == name) && (project.Length == 0 || r.ProjectId.ToString() == project.ToLowerInvariant()))
                .ToList();
            return ZenMlApi.StaticPage(http, rows, r => Render(http, r));
        });
        api.MapPost("/code_repositories", async (HttpContext http, ProjectRepository projects, TimeProvider clock) =>
        {
            var body = await ZenMlApi.ReadAsync<CodeRepositoryRequest>(http);
            var name = NonBlank(ZenMlApi.Required(body.Name, "name"));
            var source = Source(body.Source) ?? throw ZenMlException.Invalid("field required", "body", "source");
            var project = await ZenMlProjects.FindAsync(body.Project ?? ZenMlProjects.DefaultProject, projects, http);
            var now = clock.GetUtcNow().UtcDateTime;
            var stored = new StoredRepository(Guid.NewGuid(), name, project.Id, body.Description, body.LogoUrl, source,
                Config(body.Config) ?? [], now, now, ZenMlApi.Caller(http).UserId);
            await Catalog.UpdateAsync(http, rows => rows.Any(r => r.Name == name && r.ProjectId == project.Id)
                ? throw new ZenMlException(409, "EntityExistsError", $"Unable to register code repository with name '{name}': Found an existing code repository with the same name in the same project.")
                : [.. rows, stored]);
            return ZenMlApi.Created(Render(http, stored));
        }).Documents<CodeRepositoryRequest>(ZenMlApi.Json);
        api.MapGet("/code_repositories/{code_repository_id}", async (string code_repository_id, HttpContext http) =>
        {
            var id = ZenMlApi.PathId(code_repository_id, "code_repository_id");
            return Render(http, Find(await Catalog.ReadAsync(http), id));
        });
        api.MapPut("/code_repositories/{code_repository_id}", async (string code_repository_id, HttpContext http, TimeProvider clock) =>
        {
            var id = ZenMlApi.PathId(code_repository_id, "code_repository_id");
            var body = await ZenMlApi.ReadAsync<CodeRepositoryRequest>(http);
            var name = body.Name is null ? null : NonBlank(body.Name);
            var config = Config(body.Config);
            StoredRepository? updated = null;
            await Catalog.UpdateAsync(http, rows =>
            {
                var row = Find(rows, id);
                if (name is not null && rows.Any(r => r.Id != id && r.Name == name && r.ProjectId == row.ProjectId))
                {
                    throw new ZenMlException(409, "EntityExistsError", $"A code repository named '{name}' already exists in this project.");
                }
                updated = row with
                {
                    Name = name ?? row.Name, Description = body.Description ?? row.Description, LogoUrl = body.LogoUrl ?? row.LogoUrl,
                    Config = config ?? row.Config, Updated = clock.GetUtcNow().UtcDateTime,
                };
                return rows.Select(r => r.Id == id ? updated : r).ToList();
            });
            return Render(http, updated!);
        }).Documents<CodeRepositoryRequest>(ZenMlApi.Json);
        api.MapDelete("/code_repositories/{code_repository_id}", async (string code_repository_id, HttpContext http) =>
        {
            var id = ZenMlApi.PathId(code_repository_id, "code_repository_id");
            await Catalog.UpdateAsync(http, rows =>
            {
                Find(rows, id);
                return rows.Where(r => r.Id != id).ToList();
            });
            return Results.NoContent();
        });
    }

    private static StoredRepository Find(List<StoredRepository> rows, Guid id) =>
        rows.FirstOrDefault(r => r.Id == id) ?? throw ZenMlException.NotFound($"Code repository not found: {id}");

    private static string NonBlank(string value) =>
        string.IsNullOrWhiteSpace(value) ? throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", "name") : value.Trim();

    /// <summary>ZenML's source of the repository class: <c>{"module", "attribute", "type"}</c>, module and attribute required.</summary>
    private static JsonObject? Source(JsonElement? value)
    {
        var source = Config(value, "source");
        if (source is null)
        {
            return null;
        }
        foreach (var field in new[] { "module", "attribute" })
        {
            if (source[field] is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                throw ZenMlException.Invalid("field required", "body", "source", field);
            }
        }
        source["type"] ??= "unknown";
        return source;
    }

    private static JsonObject? Config(JsonElement? value, string field = "config") =>
        ZenMlApi.JsonText(value, field) is { } text ? JsonNode.Parse(text)!.AsObject() : null;

    private static JsonObject Render(HttpContext http, StoredRepository r) =>
        ZenMlView.Of(http).Entity(new { id = r.Id, name = r.Name },
            new RepositoryBody(r.Created, r.Updated, r.UserId, r.ProjectId, r.Source.DeepClone().AsObject(), r.LogoUrl),
            new RepositoryMetadata(r.Config.DeepClone().AsObject(), r.Description), ZenMlView.Of(http).Resources(r.UserId));
}

using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Data;
using MlOps.Data.Entities;
using MlOps.Data.Querying;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.ZenMl;

/// <summary>Login, the current user, users and projects: the workspace's accounts and where its work lives.</summary>
public static class ZenMlAuth
{
    private sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn);

    private sealed record UserOut(Guid Id, string Name, string? FullName, string? Email, bool Active, bool IsAdmin, DateTime Created);

    private sealed record UserRequest(string? Name, string? FullName, string? Email, bool? Active, bool? IsAdmin, string? Password);

    private sealed record ProjectOut(Guid Id, string Name, string? Description, DateTime Created);

    private sealed record ProjectRequest(string? Name, string? Description);

    private static readonly FieldFilters<User> UserFields = new FieldFilters<User>()
        .Add("id", u => u.Id).Add("name", u => u.Name).Add("full_name", u => u.FullName).Add("email", u => u.Email)
        .Add("created", u => u.CreatedAt);

    private static readonly FieldFilters<Project> ProjectFields = new FieldFilters<Project>()
        .Add("id", p => p.Id).Add("name", p => p.Name).Add("created", p => p.CreatedAt).Add("updated", p => p.LastUpdate);

    /// <summary>The ZenML version whose API this surface speaks, reported by <c>/info</c> for the client's compatibility check.</summary>
    public const string ServerVersion = "0.80.0";

    private sealed record ServerInfo(
        Guid Id, string Name, string Version, bool Active, bool Debug, string DeploymentType, string DatabaseType, string SecretsStoreType,
        string AuthScheme, string ServerUrl, string DashboardUrl, bool AnalyticsEnabled, Dictionary<string, string> Metadata);

    /// <summary>What a client may call before it has a token: the server's description and the login.</summary>
    public static void MapOpen(RouteGroupBuilder api)
    {
        api.MapGet("/info", async (HttpContext http, ServerSettingsStore settings, MlOpsDbContext db) =>
        {
            return new ServerInfo(await settings.ServerIdAsync(http.RequestAborted), "mlops", ServerVersion, true, false, "other",
                db.Provider == DatabaseProvider.Sqlite ? "sqlite" : "other", "sql", "OAUTH2_PASSWORD_BEARER", "", "", false, []);
        });
        api.MapPost("/login", LoginAsync).DisableAntiforgery();
        api.MapMethods("/logout", ["GET", "POST"], LogoutAsync);
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/current-user", async (HttpContext http, UserRepository users) =>
            RenderUser(await users.GetAsync(ZenMlApi.Caller(http).UserId, http.RequestAborted)));

        api.MapGet("/users", (HttpContext http, UserRepository users) =>
            ZenMlApi.PageAsync(http, users.Users, UserFields, u => u.Id, RenderUser));
        api.MapPost("/users", async (HttpContext http, UserRepository users) =>
        {
            RequireAdmin(http);
            var body = await ZenMlApi.ReadAsync<UserRequest>(http);
            var user = await users.CreateAsync(ZenMlApi.Required(body.Name, "name"), body.IsAdmin == true ? UserRole.Admin : UserRole.User,
                new UserProfile(body.FullName, body.Email, body.Active, body.Password), http.RequestAborted);
            return ZenMlApi.Created(RenderUser(user));
        }).Documents<UserRequest>(ZenMlApi.Json);
        api.MapGet("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
            RenderUser(await users.GetAsync(await UserIdAsync(user_id, users, http), http.RequestAborted)));
        api.MapPut("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
        {
            var id = await UserIdAsync(user_id, users, http);
            var body = await ZenMlApi.ReadAsync<UserRequest>(http);
            if (id != ZenMlApi.Caller(http).UserId || body.IsAdmin is not null || body.Active is not null)
            {
                RequireAdmin(http);
            }
            var role = body.IsAdmin is { } admin ? admin ? UserRole.Admin : UserRole.User : (UserRole?)null;
            return RenderUser(await users.UpdateAsync(id, body.Name, role, new UserProfile(body.FullName, body.Email, body.Active, body.Password), http.RequestAborted));
        }).Documents<UserRequest>(ZenMlApi.Json);
        api.MapDelete("/users/{user_id}", async (string user_id, HttpContext http, UserRepository users) =>
        {
            RequireAdmin(http);
            var id = await UserIdAsync(user_id, users, http);
            if (id == ZenMlApi.Caller(http).UserId)
            {
                throw ZenMlException.Forbidden("you cannot delete the user account you are logged in with");
            }
            await users.DeleteAsync(id, http.RequestAborted);
            return Results.NoContent();
        });

        api.MapGet("/projects", (HttpContext http, ProjectRepository projects) =>
            ZenMlApi.PageAsync(http, projects.Projects, ProjectFields, p => p.Id, RenderProject));
        api.MapPost("/projects", async (HttpContext http, ProjectRepository projects) =>
        {
            var body = await ZenMlApi.ReadAsync<ProjectRequest>(http);
            var project = await projects.CreateAsync(
                new ProjectDraft(ZenMlApi.Required(body.Name, "name"), body.Description), ZenMlApi.Caller(http).UserId, http.RequestAborted);
            return ZenMlApi.Created(RenderProject(project));
        }).Documents<ProjectRequest>(ZenMlApi.Json);
        api.MapGet("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
            RenderProject(await ProjectAsync(project_name_or_id, projects, http.RequestAborted)));
        api.MapPut("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
        {
            var project = await ProjectAsync(project_name_or_id, projects, http.RequestAborted);
            var body = await ZenMlApi.ReadAsync<ProjectRequest>(http);
            return RenderProject(await projects.UpdateAsync(project.Id, new ProjectChanges(body.Name, body.Description), http.RequestAborted));
        }).Documents<ProjectRequest>(ZenMlApi.Json);
        api.MapDelete("/projects/{project_name_or_id}", async (string project_name_or_id, HttpContext http, ProjectRepository projects) =>
        {
            var project = await ProjectAsync(project_name_or_id, projects, http.RequestAborted);
            await projects.DeleteAsync(project.Id, force: true, deleteContents: true, http.RequestAborted);
            return Results.NoContent();
        });
    }

    /// <summary>The OAuth2 password form ZenML clients post; any other grant or a wrong password is a 401.</summary>
    private static async Task<IResult> LoginAsync(HttpContext http, PasswordLogins passwords, TokenService tokens, IOptions<MlOpsOptions> options)
    {
        if (!http.Request.HasFormContentType)
        {
            throw ZenMlException.Invalid("field required", "body", "username");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        if (username.Length == 0)
        {
            throw ZenMlException.Invalid("field required", "body", "username");
        }
        if (!form.ContainsKey("password"))
        {
            throw ZenMlException.Invalid("field required", "body", "password");
        }
        Identity? identity;
        try
        {
            identity = await passwords.SignInAsync(http, username, password);
        }
        catch (LoginThrottledException throttled)
        {
            throttled.AddRetryAfter(http.Response);
            throw new ZenMlException(429, "IllegalOperationError", "Authentication error: too many failed sign-in attempts; try again later");
        }
        if (identity is null)
        {
            throw ZenMlException.Unauthorized("Authentication error: invalid username or password");
        }
        var (token, _) = tokens.Issue(identity);
        ZenMlSessionCookie.Append(http, tokens.ZenMlSessionCookie, token, options.Value.Auth.TokenLifetimeSeconds);
        return Results.Json(new TokenResponse(token, "bearer", options.Value.Auth.TokenLifetimeSeconds), ZenMlApi.Json);
    }

    /// <summary>Signs the presented token out on every replica and clears the dashboard's session cookie, present or not.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, TokenService tokens)
    {
        if (tokens.Presented(http) is { } token)
        {
            await tokens.RevokeAsync(token, http.RequestAborted);
        }
        ZenMlSessionCookie.Delete(http, tokens.ZenMlSessionCookie);
        return Results.Json(null, ZenMlApi.Json);
    }

    private static void RequireAdmin(HttpContext http)
    {
        if (ZenMlApi.Caller(http).Role != UserRole.Admin)
        {
            throw ZenMlException.Forbidden("this operation needs an admin account");
        }
    }

    private static async Task<Guid> UserIdAsync(string nameOrId, UserRepository users, HttpContext http) =>
        Guid.TryParse(nameOrId, out var id) ? id
        : await users.FindIdAsync(nameOrId, http.RequestAborted)
          ?? throw ZenMlException.NotFound($"User not found: {nameOrId}");

    private static async Task<Project> ProjectAsync(string nameOrId, ProjectRepository projects, CancellationToken ct) =>
        Guid.TryParse(nameOrId, out var id) ? await projects.GetAsync(id, ct)
        : await projects.FindByNameAsync(nameOrId, ct) ?? throw ZenMlException.NotFound($"Project not found: {nameOrId}");

    private static object RenderUser(User u) => new UserOut(u.Id, u.Name, u.FullName, u.Email, !u.Deactivated, u.Role == UserRole.Admin, u.CreatedAt);

    private static object RenderProject(Project p) => new ProjectOut(p.Id, p.Name, p.Description, p.CreatedAt);
}

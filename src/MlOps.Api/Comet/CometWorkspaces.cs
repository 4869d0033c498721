using System.Text.Json.Serialization;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet workspaces, members and service accounts. A key belongs to a user of one workspace; a user may also be a
/// member of other workspaces, and a request that names one of those (by workspace name, or by an experiment or
/// project that lives there) acts in it.
/// </summary>
public static class CometWorkspaces
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/account-details", AccountDetails);
        api.MapGet("/workspaces", Workspaces);
        api.MapPost("/write/workspace/new", Create).Documents<CreateRequest>();
        api.MapPost("/write/add-workspace-member", AddMember).Documents<MemberRequest>();
        api.MapPost("/write/service-account", CreateServiceAccount).Documents<ServiceAccountRequest>();
        api.MapGet("/write/api/rotate", RotateKey);
    }

    public sealed record AccountDetailsResponse(string UserName, string DefaultWorkspaceName);

    public sealed record WorkspacesResponse(List<string> WorkspaceNames);

    public sealed record CreateRequest(string? Name, string? Plan);

    public sealed record CreateResponse(
        string Msg,
        [property: JsonPropertyName("workspace_name")] string WorkspaceName,
        [property: JsonPropertyName("workspace_id")] string WorkspaceId,
        int Code);

    public sealed record MemberRequest(string? UserName, string? WorkspaceName, bool Admin);

    public sealed record MessageResponse(string Msg);

    public sealed record ServiceAccountRequest(string? Name, string? TeamName, string? OrganizationName, List<string>? AuthorizedWorkspaces);

    public sealed record ServiceAccountResponse(
        string ApiKey, List<string>? AuthorizedWorkspaces, long CreatedAt, string CreatedBy, string DefaultWorkspaceName, bool Deleted,
        bool HasGlobalAccess, long LastActivityAt, string Name, string? OrganizationId);

    public sealed record RotateResponse(string ApiKey);

    public static AccountDetailsResponse AccountDetails(HttpContext http)
    {
        var identity = http.Caller().Identity;
        return new AccountDetailsResponse(identity.UserName, identity.WorkspaceName);
    }

    public static async Task<WorkspacesResponse> Workspaces(HttpContext http, MembershipCache memberships, CancellationToken ct)
    {
        var identity = http.Caller().Identity;
        var others = await memberships.OfUserAsync(identity.UserId, ct);
        return new WorkspacesResponse([identity.WorkspaceName, .. others.Select(w => w.Name).Where(n => n != identity.WorkspaceName)]);
    }

    /// <summary>A new workspace with the caller as its administrator.</summary>
    public static async Task<CreateResponse> Create(HttpContext http, TenantAdmin admin, MembershipCache memberships, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<CreateRequest>(http);
        var workspace = await TenantAdminCall(() => admin.CreateWorkspaceAsync(request.Name ?? throw CometException.MissingField("name"), ct));
        await memberships.AddAsync(workspace.Id, http.Caller().Identity.UserId, isAdmin: true, ct);
        return new CreateResponse("saved", workspace.Name, CometApi.Key(workspace.Id), 200);
    }

    /// <summary>Makes a user of the caller's own workspace a member of the named one; only its administrators may.</summary>
    public static async Task<MessageResponse> AddMember(HttpContext http, Memberships locator, MembershipCache memberships, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<MemberRequest>(http);
        var home = HomeIdentity(http);
        RequireWorkspace(http, request.WorkspaceName ?? throw CometException.MissingField("workspaceName"));
        var target = http.Caller().Identity;
        await RequireAdminAsync(home, target.WorkspaceId, memberships, ct);
        var user = await locator.FindUserAsync(home.WorkspaceId, request.UserName ?? throw CometException.MissingField("userName"), ct)
            ?? throw new CometException(404, "User not found");
        await memberships.AddAsync(target.WorkspaceId, user.Id, request.Admin, ct);
        return new MessageResponse("added");
    }

    /// <summary>
    /// A service account of the named workspace with its own API key; with <c>authorizedWorkspaces</c> it may act
    /// in those workspaces only, without it in every workspace the caller administers.
    /// </summary>
    public static async Task<ServiceAccountResponse> CreateServiceAccount(
        HttpContext http, TenantAdmin admin, MembershipCache memberships, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ServiceAccountRequest>(http);
        var home = HomeIdentity(http);
        RequireWorkspace(http, request.TeamName ?? throw CometException.MissingField("teamName"));
        var current = http.Caller().Identity;
        await RequireAdminAsync(home, current.WorkspaceId, memberships, ct);
        var administered = await AdministeredAsync(home, memberships, ct);
        var authorized = request.AuthorizedWorkspaces ?? [.. administered.Keys];
        var unknown = authorized.FirstOrDefault(name => !administered.ContainsKey(name));
        if (unknown is not null)
        {
            throw new CometException(404, $"Workspace not found: {unknown}");
        }
        var (account, apiKey) = await TenantAdminCall(() => admin.CreateServiceAccountAsync(
            current.WorkspaceId, request.Name ?? throw CometException.MissingField("name"), home.UserId, ct));
        foreach (var name in authorized.Where(n => n != current.WorkspaceName))
        {
            await memberships.AddAsync(administered[name], account.Id, isAdmin: false, ct);
        }
        var created = CometMapping.Millis(account.CreatedAt);
        return new ServiceAccountResponse(
            apiKey, request.AuthorizedWorkspaces, created, home.UserName, current.WorkspaceName, false,
            request.AuthorizedWorkspaces is null, created, account.Name, null);
    }

    /// <summary>A new key for a service account of the workspace; only its administrators may take one.</summary>
    public static async Task<RotateResponse> RotateKey(
        HttpContext http, string? userName, TenantAdmin admin, Data.Cluster.ClusterSignals signals, MembershipCache memberships, CancellationToken ct)
    {
        var current = http.Caller().Identity;
        await RequireAdminAsync(HomeIdentity(http), current.WorkspaceId, memberships, ct);
        var (account, apiKey) = await TenantAdminCall(() => admin.RotateServiceAccountKeyAsync(
            current.WorkspaceId, userName ?? throw CometException.MissingField("userName"), ct));
        await signals.PublishAsync(Platform.ClusterListener.UserChanged + account.Id.ToString("N"), ct); // the old key stops on every replica
        return new RotateResponse(apiKey);
    }

    /// <summary>
    /// Moves the request into the workspace it names, when the caller is a member there. Callers without
    /// memberships (nearly all) skip this after one cached lookup; JSON bodies are only inspected for the others.
    /// </summary>
    public static async Task ActInRequestedWorkspaceAsync(HttpContext http, MembershipCache memberships, Memberships locator)
    {
        var identity = http.Caller().Identity;
        var others = await memberships.OfUserAsync(identity.UserId, http.RequestAborted);
        if (others.Count == 0)
        {
            return;
        }
        var named = await NamedTargetAsync(http);
        Guid? target = named.Workspace is { } workspaceName
            ? others.FirstOrDefault(w => w.Name == workspaceName)?.Id
            : named.ExperimentKey is { } key && Guid.TryParse(key, out var experimentId)
                ? await locator.WorkspaceOfExperimentAsync(experimentId, http.RequestAborted)
                : named.ProjectId is { } project && Guid.TryParse(project, out var projectId)
                    ? await locator.WorkspaceOfProjectAsync(projectId, http.RequestAborted)
                    : null;
        if (target is { } id && id != identity.WorkspaceId && others.FirstOrDefault(w => w.Id == id) is { } member)
        {
            http.Caller().ActIn(member.Id, member.Name);
        }
    }

    private static Identity HomeIdentity(HttpContext http) => http.Caller().Home;

    private sealed record Target(string? Workspace, string? ExperimentKey, string? ProjectId);

    private static readonly string[] WorkspaceFields = ["workspaceName", "workspace", "teamName"];

    /// <summary>Where an experiment key travels: REST's name, clientlib uploads' query, and the clientlib handshakes.</summary>
    private static readonly string[] ExperimentFields = ["experimentKey", "experimentId", "previousExperiment", "copiedExperimentKey"];

    private static async Task<Target> NamedTargetAsync(HttpContext http)
    {
        var query = http.Request.Query;
        string? Query(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        var fromQuery = new Target(
            WorkspaceFields.Select(Query).FirstOrDefault(v => v is not null), ExperimentFields.Select(Query).FirstOrDefault(v => v is not null), Query("projectId"));
        if (fromQuery != new Target(null, null, null) || !http.Request.HasJsonContentType())
        {
            return fromQuery;
        }
        try
        {
            using var body = JsonDocument.Parse(await Hosting.RequestBody.BytesAsync(http));
            string? Field(string name) =>
                body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString() : null;
            return new Target(
                WorkspaceFields.Select(Field).FirstOrDefault(v => v is not null), ExperimentFields.Select(Field).FirstOrDefault(v => v is not null), Field("projectId"));
        }
        catch (JsonException)
        {
            return fromQuery; // the handler reports the malformed body
        }
    }

    /// <summary>Workspace name to id, for every workspace the caller administers.</summary>
    private static async Task<Dictionary<string, Guid>> AdministeredAsync(Identity home, MembershipCache memberships, CancellationToken ct)
    {
        var administered = (await memberships.OfUserAsync(home.UserId, ct)).Where(w => w.IsAdmin).ToDictionary(w => w.Name, w => w.Id);
        if (home.Role == UserRole.Admin)
        {
            administered[home.WorkspaceName] = home.WorkspaceId;
        }
        return administered;
    }

    private static async Task RequireAdminAsync(Identity home, Guid workspaceId, MembershipCache memberships, CancellationToken ct)
    {
        var isAdmin = workspaceId == home.WorkspaceId
            ? home.Role == UserRole.Admin
            : (await memberships.OfUserAsync(home.UserId, ct)).Any(w => w.Id == workspaceId && w.IsAdmin);
        if (!isAdmin)
        {
            throw new CometException(403, "Only workspace administrators may do this");
        }
    }

    /// <summary>The named workspace must be the one the request acts in; any other name is as unknown as a missing one.</summary>
    public static void RequireWorkspace(HttpContext http, string? workspaceName)
    {
        if (workspaceName is not null && workspaceName != http.Caller().Identity.WorkspaceName)
        {
            throw new CometException(404, "Workspace not found");
        }
    }

    private static async Task<T> TenantAdminCall<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (TenantAdminException e)
        {
            throw CometException.BadRequest(e.Message);
        }
    }

    /// <summary>The names of the users with these ids (as Comet shows who created or owns something).</summary>
    public static async Task<Dictionary<Guid, string>> UserNamesAsync(IEnumerable<Guid?> userIds, UserRepository users, CancellationToken ct)
    {
        var ids = userIds.OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : (await users.QueryAsync(new UserQuery(ids, null, null, null), ct)).ToDictionary(u => u.Id, u => u.Name);
    }
}

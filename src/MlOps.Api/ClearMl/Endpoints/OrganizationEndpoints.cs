using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>organization.*</c>: the caller's workspace as a whole.</summary>
public static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("organization.get_tags", GetTags);
        api.MapAction("organization.get_user_companies", GetUserCompanies);
    }

    public sealed record TagsRequest(bool IncludeSystem);

    public sealed record TagsResponse(List<string> Tags, List<string>? SystemTags);

    public sealed record Owner(string Id, string Name);

    public sealed record Company(string Id, string Name, int Allocated, List<Owner> Owners);

    public sealed record CompaniesResponse(List<Company> Companies);

    /// <summary>Every tag used on tasks, models and projects of the workspace.</summary>
    public static async Task<TagsResponse> GetTags(ClearMlCall call, ProjectContents contents, CancellationToken ct)
    {
        var includeSystem = call.Read<TagsRequest>().IncludeSystem;
        var sets = new[]
        {
            await contents.ExperimentTagsAsync([], ct),
            await contents.ModelTagsAsync([], ct),
            await contents.ProjectTagsAsync([], ct),
        };
        return new TagsResponse(
            [.. sets.SelectMany(s => s.Tags).Distinct().Order(StringComparer.Ordinal)],
            includeSystem ? [.. sets.SelectMany(s => s.SystemTags).Distinct().Order(StringComparer.Ordinal)] : null);
    }

    /// <summary>The one workspace the caller belongs to, with its users.</summary>
    public static async Task<CompaniesResponse> GetUserCompanies(ClearMlCall call, UserRepository users, CancellationToken ct)
    {
        var identity = call.Http.Caller().Identity;
        var members = await users.QueryAsync(new UserQuery(null, null, null, null), ct);
        var owners = members.Where(u => u.Role == Data.Entities.UserRole.Admin).Select(u => new Owner(u.Id.ToString("N"), u.Name)).ToList();
        return new CompaniesResponse([new Company(identity.WorkspaceId.ToString("N"), identity.WorkspaceName, members.Count, owners)]);
    }
}

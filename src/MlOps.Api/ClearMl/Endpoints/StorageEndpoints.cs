using System.Text.Json;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>storage.*</c>: the workspace's cloud-storage credentials (the web UI's Settings, Storage Credentials page).
/// Each provider's settings are kept as one document with exactly the fields ClearML knows, encrypted at rest.
/// </summary>
public static class StorageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("storage.get_settings", GetSettings);
        api.MapAction("storage.set_settings", SetSettings);
        api.MapAction("storage.reset_settings", ResetSettings);
    }

    public sealed record AwsBucket(
        string? Bucket, string? Subdir, string? Host, string? Key, string? Secret, string? Token, bool Multipart = true, string? Acl = null,
        bool Secure = true, string? Region = null, bool Verify = true, bool UseCredentialsChain = false);

    public sealed record Aws(string? Key, string? Secret, string? Region, string? Token, bool UseCredentialsChain = false, List<AwsBucket>? Buckets = null)
    {
        public List<AwsBucket> Buckets { get; init; } = Buckets ?? [];
    }

    public sealed record GoogleBucket(string? Bucket, string? Subdir, string? Project, string? CredentialsJson);

    public sealed record Google(string? Project, string? CredentialsJson, List<GoogleBucket>? Buckets = null)
    {
        public List<GoogleBucket> Buckets { get; init; } = Buckets ?? [];
    }

    public sealed record AzureContainer(string? AccountName, string? AccountKey, string? ContainerName);

    public sealed record Azure(List<AzureContainer>? Containers = null)
    {
        public List<AzureContainer> Containers { get; init; } = Containers ?? [];
    }

    public sealed record SettingsRequest(Aws? Aws, Google? Google, Azure? Azure);

    public sealed record Settings(Aws Aws, Google Google, Azure Azure, DateTime? LastUpdate);

    /// <summary>As ClearML's server answers (and the web UI reads): the settings under <c>settings</c>.</summary>
    public sealed record SettingsResponse(Settings Settings);

    public sealed record ResetRequest(List<string>? Keys);

    public sealed record UpdatedResponse(int Updated);

    /// <summary>Every provider, stored or empty (no keys, no buckets), and when they last changed.</summary>
    public static async Task<SettingsResponse> GetSettings(StorageSettingsRepository storage, CancellationToken ct)
    {
        var stored = await storage.GetAsync(ct);
        T Read<T>(StorageProvider provider, T empty) =>
            stored.Providers.TryGetValue(provider, out var json) ? JsonSerializer.Deserialize<T>(json, ClearMlJson.Options) ?? empty : empty;
        return new SettingsResponse(new Settings(
            Read(StorageProvider.Aws, new Aws(null, null, null, null)),
            Read(StorageProvider.Google, new Google(null, null)),
            Read(StorageProvider.Azure, new Azure()),
            stored.LastUpdate));
    }

    /// <summary>Replaces each provider given (at least one); Google's credentials must be JSON.</summary>
    public static async Task<UpdatedResponse> SetSettings(ClearMlCall call, StorageSettingsRepository storage, CancellationToken ct)
    {
        var request = call.Read<SettingsRequest>();
        var documents = new Dictionary<StorageProvider, string>();
        if (request.Aws is { } aws)
        {
            documents[StorageProvider.Aws] = JsonSerializer.Serialize(aws, ClearMlJson.Options);
        }
        if (request.Google is { } google)
        {
            RequireJson(google.CredentialsJson);
            google.Buckets.ForEach(b => RequireJson(b.CredentialsJson));
            documents[StorageProvider.Google] = JsonSerializer.Serialize(google, ClearMlJson.Options);
        }
        if (request.Azure is { } azure)
        {
            documents[StorageProvider.Azure] = JsonSerializer.Serialize(azure, ClearMlJson.Options);
        }
        await storage.SetAsync(documents, ct);
        return new UpdatedResponse(1);
    }

    /// <summary>Forgets the named providers (aws, google, azure); 0 when the workspace has no settings.</summary>
    public static async Task<UpdatedResponse> ResetSettings(ClearMlCall call, StorageSettingsRepository storage, CancellationToken ct)
    {
        var keys = call.Read<ResetRequest>().Keys ?? [];
        var providers = keys.Select(k => Enum.TryParse<StorageProvider>(k, true, out var p) && k == k.ToLowerInvariant()
            ? p
            : throw ClearMlException.Validation($"keys must be aws, google or azure, not '{k}'")).Distinct().ToList();
        return new UpdatedResponse(await storage.ResetAsync(providers, ct) ? 1 : 0);
    }

    private static void RequireJson(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw ClearMlException.Validation($"Invalid json credentials: {e.Message}");
        }
    }
}

using System.Text.Json;
using MlOps.Data;

namespace MlOps.Api.ZenMl;

/// <summary>
/// A short per-workspace list that only ZenML keeps (tag colors, code repositories), stored as one JSON document in the
/// server settings; every change is applied over the latest document, so concurrent writers do not lose each other's.
/// </summary>
public sealed class ZenMlCatalog<T>(string name)
{
    public async Task<List<T>> ReadAsync(HttpContext http) =>
        Parse(await Store(http).GetAsync(Key(http), http.RequestAborted));

    /// <summary>Applies <paramref name="change"/> to the current list and stores what it returns; what it throws is the answer.</summary>
    public async Task<List<T>> UpdateAsync(HttpContext http, Func<List<T>, List<T>> change) =>
        Parse(await Store(http).UpdateAsync(Key(http), text => JsonSerializer.Serialize(change(Parse(text)), ZenMlApi.Json), http.RequestAborted));

    private static List<T> Parse(string? text) => text is null ? [] : JsonSerializer.Deserialize<List<T>>(text, ZenMlApi.Json) ?? [];

    private static ServerSettingsStore Store(HttpContext http) => http.RequestServices.GetRequiredService<ServerSettingsStore>();

    private string Key(HttpContext http) => $"zenml_{name}:{ZenMlApi.Caller(http).WorkspaceId:N}";
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// What replaying a recorded client session needs (comet_ml's, MLflow's): every 32-hex id of the recording becomes a
/// fresh one — ids the client chose when they first appear in a request, ids the server handed out when they first
/// appear in an answer, learned from the replayed answer — and answers are compared with the recording by shape.
/// </summary>
public sealed partial class RecordedIds
{
    private readonly Dictionary<string, string> _ids = [];

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex Id();

    /// <summary>The id the replay uses where the recording has <paramref name="recorded"/>.</summary>
    public string Replayed(string recorded) => _ids.GetValueOrDefault(recorded, recorded);

    /// <summary>Ids in a request: known ones become their replayed counterparts, new ones (chosen by the client) fresh ids.</summary>
    public string Swap(string text) => Id().Replace(text, m =>
    {
        if (!_ids.TryGetValue(m.Value, out var replayed))
        {
            _ids[m.Value] = replayed = Guid.NewGuid().ToString("N");
        }
        return replayed;
    });

    /// <summary>
    /// Same keys and JSON kinds, arrays of the same length; an array's items in any order (items written concurrently,
    /// or ordered by ids that differ between runs, may come back in another order), each matched to one replayed item.
    /// Ids the server handed out are learned on the way (unless only <paramref name="trying"/>).
    /// </summary>
    public bool Match(JsonElement recorded, JsonElement replayed, string where, bool trying = false)
    {
        bool Fail(string why) => trying ? false : throw new Xunit.Sdk.XunitException($"{where}: {why}");
        if (recorded.ValueKind != replayed.ValueKind)
        {
            return Fail($"{recorded.ValueKind} recorded, {replayed.ValueKind} replayed");
        }
        switch (recorded.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in recorded.EnumerateObject())
                {
                    if (!replayed.TryGetProperty(property.Name, out var value))
                    {
                        return Fail($"'{property.Name}' missing");
                    }
                    if (!Match(property.Value, value, $"{where}.{property.Name}", trying))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Array:
                if (recorded.GetArrayLength() != replayed.GetArrayLength())
                {
                    return Fail($"array length differs ({recorded.GetArrayLength()} recorded, {replayed.GetArrayLength()} replayed)");
                }
                var unmatched = replayed.EnumerateArray().ToList();
                foreach (var item in recorded.EnumerateArray())
                {
                    var index = unmatched.FindIndex(candidate => Match(item, candidate, where, trying: true));
                    if (index < 0)
                    {
                        return Fail($"no replayed item like {item}");
                    }
                    Match(item, unmatched[index], where + "[]", trying);
                    unmatched.RemoveAt(index);
                }
                return true;
            case JsonValueKind.String when !trying && Id().Match(recorded.GetString()!) is { Success: true } id && id.Length == recorded.GetString()!.Length:
                _ids.TryAdd(id.Value, replayed.GetString()!);
                return true;
            default:
                return true;
        }
    }

    /// <summary>The JSON of an answer, or null for one that is not (a download: its bytes are checked by the test).</summary>
    public static JsonElement? Json(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MlOps.Api.ZenMl;

/// <summary>
/// Tags are names on the shared rows (ClearML and Comet tags); ZenML answers each as a tag entity, whose id here is
/// derived from the name, so the same tag has the same id wherever it shows.
/// </summary>
public static class ZenMlTags
{
    public static Guid IdOf(string name)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes("zenml-tag:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30); // a name-based (version 3) UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }

    /// <summary>Tag names as sent (trimmed); a blank one is a 422 at <paramref name="field"/>.</summary>
    public static List<string>? Names(List<string>? names, string field) =>
        names?.Select((name, index) => string.IsNullOrWhiteSpace(name)
            ? throw ZenMlException.Invalid("ensure this value has at least 1 characters", "body", field, index)
            : name.Trim()).Distinct().ToList();

    public static JsonObject Nested(string name) => new()
    {
        ["id"] = IdOf(name).ToString(),
        ["name"] = name,
        ["body"] = new JsonObject { ["color"] = "grey", ["exclusive"] = false },
        ["resources"] = new JsonObject(),
    };
}

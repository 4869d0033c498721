using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Querying;

namespace MlOps.Api.ClearMl;

/// <summary>The request fields every ClearML <c>get_all</c> shares, and what they mean.</summary>
public record ListRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(OneOrMany))]
    public List<string>? Id { get; init; }
    public string? Name { get; init; }
    public List<string?>? Tags { get; init; }
    public List<string?>? SystemTags { get; init; }
    public bool SearchHidden { get; init; }
    public List<string>? OnlyFields { get; init; }
    public List<string>? OrderBy { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public int? Size { get; init; }
    public string? ScrollId { get; init; }
    public bool RefreshScroll { get; init; }

    /// <summary>The requested ids; unknown or malformed ones simply match nothing, as in ClearML.</summary>
    public List<Guid>? Ids() => Id?.Select(id => Guid.TryParse(id, out var guid) ? guid : Guid.Empty).ToList();

    public TagFilter? TagFilter() => ClearMlQuery.ParseTags(Tags, "tags");

    public TagFilter? SystemTagFilter() =>
        ClearMlQuery.WithHiddenRule(ClearMlQuery.ParseTags(SystemTags, "system_tags"), SearchHidden, Id is { Count: > 0 });

    public IReadOnlyList<SortKey>? Ordering() => ClearMlQuery.ParseOrder(OrderBy);

    public Page Window() => ClearMlQuery.ParsePage(Page, PageSize, Size, ScrollId, RefreshScroll);

    /// <summary>Only a scrolling request gets a scroll id back.</summary>
    public string? NextScrollId(Page window, int returned) =>
        Size is not null || ScrollId is not null ? ClearMlQuery.NextScrollId(window, returned) : null;

    public bool Wants(string field) => OnlyFields is not { Count: > 0 } fields || fields.Any(f => f == field || f.StartsWith(field + "."));
}

/// <summary>The query conventions every ClearML <c>get_all</c> shares: tag operators, order_by, paging, scrolling, only_fields.</summary>
public static class ClearMlQuery
{
    public const string HiddenTag = "hidden";

    /// <summary>
    /// A value list such as <c>type</c> or <c>status</c>: plain values are the ones wanted, a value after
    /// <c>__$not</c> or with a leading <c>-</c> is excluded; the other operators change nothing for a single value.
    /// </summary>
    public static (List<string> Included, List<string> Excluded) ParseValues(IReadOnlyList<string>? values)
    {
        List<string> included = [], excluded = [];
        var negate = false;
        foreach (var value in values ?? [])
        {
            if (value == "__$not")
            {
                negate = true;
                continue;
            }
            if (value.StartsWith("__$", StringComparison.Ordinal))
            {
                continue;
            }
            (negate || value.StartsWith('-') ? excluded : included).Add(value.StartsWith('-') ? value[1..] : value);
            negate = false;
        }
        return (included, excluded);
    }

    /// <summary>
    /// ClearML's tag list language: plain values match any; <c>__$all</c>/<c>__$and</c> switch to
    /// all-of, <c>__$any</c>/<c>__$or</c> back to any-of, <c>__$not</c> negates the next value, a
    /// leading <c>-</c> excludes (until the first operator), <c>null</c> admits untagged rows, and the
    /// first operator seen decides whether the parts are joined with AND (default) or OR.
    /// </summary>
    public static TagFilter? ParseTags(IReadOnlyList<string?>? values, string field)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }
        List<string> anyOf = [], allOf = [], noneOf = [];
        bool allContext = false, negateNext = false, legacyMinus = true, orUntagged = false;
        bool? joinWithOr = null;
        foreach (var value in values)
        {
            if (value is null)
            {
                orUntagged = true;
                continue;
            }
            if (value.StartsWith("__$", StringComparison.Ordinal))
            {
                if (negateNext)
                {
                    throw Invalid(field, $"a value is expected after __$not");
                }
                switch (value)
                {
                    case "__$not":
                        negateNext = true;
                        continue;
                    case "__$nop":
                        allContext = false;
                        continue;
                    case "__$all" or "__$and":
                        allContext = true;
                        break;
                    case "__$any" or "__$or":
                        allContext = false;
                        break;
                    default:
                        throw Invalid(field, $"unsupported operator {value}");
                }
                joinWithOr ??= !allContext;
                legacyMinus = false;
                continue;
            }
            var include = !negateNext;
            var tag = value;
            if (!negateNext && legacyMinus && value.StartsWith('-'))
            {
                tag = value[1..];
                include = false;
                if (tag.Length == 0)
                {
                    throw Invalid(field, "missing value after the exclude prefix -");
                }
            }
            negateNext = false;
            (include ? allContext ? allOf : anyOf : noneOf).Add(tag);
        }
        if (negateNext)
        {
            throw Invalid(field, "a value is expected after __$not");
        }
        return new TagFilter(anyOf, allOf, noneOf, joinWithOr ?? false, orUntagged);
    }

    /// <summary>Hidden objects are left out unless asked for, or unless specific ids are requested.</summary>
    public static TagFilter? WithHiddenRule(TagFilter? systemTags, bool searchHidden, bool byId) =>
        searchHidden || byId ? systemTags : systemTags?.AlsoExcluding(HiddenTag) ?? TagFilter.Excluding(HiddenTag);

    public static IReadOnlyList<SortKey>? ParseOrder(IReadOnlyList<string>? orderBy) =>
        orderBy?.Where(f => f.Length > 0)
            .Select(f => f.StartsWith('-') ? new SortKey(f[1..], true) : new SortKey(f.TrimStart('+'), false))
            .ToList();

    /// <summary>
    /// Page/page_size paging, or scrolling: <c>size</c> with the <c>scroll_id</c> of the previous
    /// answer, which encodes where the next page starts (stateless, so any replica can continue it). With
    /// <paramref name="refresh"/> everything up to that point is read again (the web UI's tables refresh so).
    /// </summary>
    public static Page ParsePage(int? page, int? pageSize, int? size, string? scrollId, bool refresh = false)
    {
        if (page is < 0)
        {
            throw Invalid("page", "page must be >=0");
        }
        if (pageSize is < 1 || size is < 1)
        {
            throw Invalid("page_size", "page_size must be >0");
        }
        if (size is null && scrollId is null)
        {
            return Page.Numbered(page ?? 0, pageSize);
        }
        var offset = scrollId is null ? 0 : DecodeScroll(scrollId);
        return refresh
            ? new Page(0, Math.Max(offset, size ?? Page.MaxSize))
            : new Page(offset, size ?? Page.MaxSize);
    }

    public static string NextScrollId(Page page, int returned) => EncodeScroll(page.Skip + returned);

    private static string EncodeScroll(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset}"));

    private static int DecodeScroll(string scrollId)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(scrollId));
            if (text.StartsWith("offset:") && int.TryParse(text["offset:".Length..], out var offset) && offset >= 0)
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }
        throw new ClearMlException(400, 1104, "Invalid scroll id");
    }

    /// <summary>Keeps only the requested (possibly dotted) fields of a document, and always its id.</summary>
    public static JsonObject Project<T>(T document, IReadOnlyList<string>? onlyFields) => Project(Document(document), onlyFields);

    /// <summary>A document as the JSON object ClearML answers with.</summary>
    public static JsonObject Document<T>(T document) => JsonSerializer.SerializeToNode(document, ClearMlJson.Options)!.AsObject();

    /// <summary>The requested paths of <paramref name="full"/> (and its id); <c>*</c> asks for everything.</summary>
    public static JsonObject Project(JsonObject full, IReadOnlyList<string>? onlyFields)
    {
        if (onlyFields is null || onlyFields.Count == 0 || onlyFields.Contains("*"))
        {
            return full;
        }
        var result = new JsonObject();
        foreach (var path in onlyFields.Append("id"))
        {
            CopyPath(full, result, path.Split('.'));
        }
        return result;
    }

    /// <summary>
    /// Copies the value at <paramref name="path"/>. As in ClearML (a MongoDB projection), every enclosing object that
    /// exists is copied even when the value inside it does not (<c>runtime.version</c> of an empty runtime is
    /// <c>runtime: {}</c>: the SDK reads the version from it unguarded); a missing or null one stays out.
    /// </summary>
    private static void CopyPath(JsonObject source, JsonObject target, ReadOnlySpan<string> path)
    {
        if (!source.TryGetPropertyValue(path[0], out var value) || value is null)
        {
            return;
        }
        if (path.Length == 1 || value is not JsonObject nested)
        {
            target[path[0]] = value.DeepClone();
            return;
        }
        if (target[path[0]] is JsonObject existing)
        {
            CopyPath(nested, existing, path[1..]);
            return;
        }
        // A referenced object (project, user, queue, ... expanded by the _ex calls) keeps its id beside the field asked for.
        var child = nested["id"] is JsonValue id ? new JsonObject { ["id"] = id.DeepClone() } : [];
        target[path[0]] = child;
        CopyPath(nested, child, path[1..]);
    }

    private static ClearMlException Invalid(string field, string detail) =>
        new(400, 16, $"invalid value for fields: {detail} (field={field})");
}

using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ClearMl;

/// <summary>
/// The tables' CSV export: <c>organization.prepare_download_for_get_all</c> takes a get_all_ex query and the columns,
/// <c>organization.download_for_get_all</c> runs it and answers the file. The prepare id carries the request itself
/// (compressed), so any replica can serve the download, and it runs with the downloader's own rights.
/// </summary>
public static class ExportEndpoints
{
    private const int PageSize = 500;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("organization.prepare_download_for_get_all", Prepare);
        api.MapAction("organization.download_for_get_all", Download);
    }

    public sealed record ValueMapping(JsonNode? Key, JsonNode? Value);

    public sealed record FieldMapping(string? Field, string? Name, List<ValueMapping>? Values);

    public sealed record PrepareRequest(string? EntityType, List<string>? OnlyFields, List<FieldMapping>? FieldMappings);

    public sealed record PrepareResponse(string PrepareId);

    public sealed record DownloadRequest(string? PrepareId);

    public static PrepareResponse Prepare(ClearMlCall call)
    {
        var request = call.Read<PrepareRequest>();
        if (request.EntityType is not ("task" or "model"))
        {
            throw ClearMlException.Validation("entity_type must be task or model");
        }
        if (request.FieldMappings is not { Count: > 0 } mappings || mappings.Any(m => string.IsNullOrEmpty(m.Field)))
        {
            throw ClearMlException.MissingRequiredFields("field_mappings");
        }
        using var packed = new MemoryStream();
        using (var zip = new ZLibStream(packed, CompressionLevel.SmallestSize))
        {
            zip.Write(Encoding.UTF8.GetBytes(call.Fields.ToJsonString()));
        }
        return new PrepareResponse(Base64Url.EncodeToString(packed.ToArray()));
    }

    public static async Task<IResult> Download(ClearMlCall call, ReadSide reads, CancellationToken ct)
    {
        var query = Unpack(call.Read<DownloadRequest>().PrepareId ?? throw ClearMlException.MissingRequiredFields("prepare_id"));
        var request = query.Deserialize<PrepareRequest>(ClearMlJson.Options)!;
        var columns = request.FieldMappings!;
        var csv = new StringBuilder().AppendJoin(',', columns.Select(c => Cell(c.Name ?? c.Field!))).Append("\r\n");
        string? scroll = null;
        while (true)
        {
            query["size"] = PageSize;
            query["scroll_id"] = scroll;
            var page = ClearMlCall.WithFields(call.Http, (JsonObject)query.DeepClone());
            var (rows, next) = request.EntityType == "task"
                ? (await TasksEndpoints.GetAllEx(page, reads, ct) is var t ? (t.Tasks, t.ScrollId) : default)
                : (await ModelsEndpoints.GetAllEx(page, reads, ct) is var m ? (m.Models, m.ScrollId) : default);
            foreach (var row in rows)
            {
                csv.AppendJoin(',', columns.Select(c => Cell(Value(row, c)))).Append("\r\n");
            }
            if (rows.Count < PageSize)
            {
                break;
            }
            scroll = next;
        }
        var name = request.EntityType == "task" ? "tasks.csv" : "models.csv";
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);
    }

    private static JsonObject Unpack(string prepareId)
    {
        try
        {
            using var zip = new ZLibStream(new MemoryStream(Base64Url.DecodeFromChars(prepareId)), CompressionMode.Decompress);
            return JsonNode.Parse(zip)!.AsObject();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or JsonException or InvalidOperationException)
        {
            throw ClearMlException.Validation("invalid prepare_id");
        }
    }

    /// <summary>The value at the column's dotted path, through its value mapping; lists are joined with commas.</summary>
    private static string Value(JsonObject row, FieldMapping column)
    {
        JsonNode? node = row;
        foreach (var part in column.Field!.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        var text = node switch
        {
            null => "",
            JsonArray list => string.Join(",", list.Select(i => i is JsonValue v ? v.ToString() : i?.ToJsonString())),
            JsonValue v => v.ToString(),
            _ => node.ToJsonString(),
        };
        return column.Values?.FirstOrDefault(m => m.Key?.ToString() == text)?.Value?.ToString() ?? text;
    }

    private static string Cell(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? '"' + text.Replace("\"", "\"\"") + '"' : text;
}

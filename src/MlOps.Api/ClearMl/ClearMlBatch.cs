using System.Text.Json.Nodes;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// The <c>*_many</c> calls: each id succeeds or fails on its own, and the answer lists both, as
/// <c>{succeeded: [{id, ...}], failed: [{id, error: {codes, msg, data}}]}</c>.
/// </summary>
public static class ClearMlBatch
{
    public sealed record ManyRequest(List<string>? Ids);

    public sealed record Failure(string Id, JsonObject Error);

    public sealed record ManyResponse(List<JsonObject> Succeeded, List<Failure> Failed);

    public static async Task<ManyResponse> RunAsync(ClearMlCall call, Func<string, Task<JsonObject>> each)
    {
        var ids = call.Read<ManyRequest>().Ids ?? throw ClearMlException.MissingField("ids");
        if (ids.Count == 0)
        {
            throw new ClearMlException(400, 17, "batch request contains no items");
        }
        var response = new ManyResponse([], []);
        foreach (var id in ids)
        {
            try
            {
                var result = await each(id);
                result["id"] = id;
                response.Succeeded.Add(result);
            }
            catch (Exception e) when (e is ClearMlException or DomainException)
            {
                var error = e as ClearMlException ?? ClearMlErrors.From((DomainException)e);
                response.Failed.Add(new Failure(id, new JsonObject
                {
                    ["codes"] = new JsonArray(error.Code, error.Subcode),
                    ["msg"] = error.Message,
                    ["data"] = new JsonObject(),
                }));
            }
        }
        return response;
    }
}

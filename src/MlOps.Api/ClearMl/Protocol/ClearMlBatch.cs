using System.Text.Json.Nodes;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// The <c>*_many</c> calls: each id succeeds or fails on its own, and the answer lists both, as
/// <c>{succeeded: [{id, ...}], failed: [{id, error: {codes, msg, data}}]}</c>.
/// </summary>
public static class ClearMlBatch
{
    public sealed record ManyError(int[] Codes, string Msg, JsonObject Data);

    public sealed record Failure(string Id, ManyError Error);

    public sealed record ManyResponse(List<JsonObject> Succeeded, List<Failure> Failed);

    /// <summary>Runs <paramref name="action"/> per id; it fills in the id's success entry, or throws to fail that id alone.</summary>
    public static async Task<ManyResponse> RunAsync(IReadOnlyList<string>? ids, Func<string, JsonObject, Task> action)
    {
        if (ids is not { Count: > 0 })
        {
            throw ClearMlException.MissingField("ids");
        }
        var response = new ManyResponse([], []);
        foreach (var id in ids)
        {
            try
            {
                var succeeded = new JsonObject { ["id"] = id };
                await action(id, succeeded);
                response.Succeeded.Add(succeeded);
            }
            catch (Exception e) when (e is ClearMlException or DomainException)
            {
                var error = e as ClearMlException ?? ClearMlErrors.From((DomainException)e);
                response.Failed.Add(new Failure(id, new ManyError([error.Code, error.Subcode], error.Message, [])));
            }
        }
        return response;
    }
}

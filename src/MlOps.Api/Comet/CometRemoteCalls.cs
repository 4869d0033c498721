using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet RPC: a function call requested on a running experiment, recorded with its arguments. The running
/// experiment learns of calls over Comet's websocket channel, which this server does not offer, so calls wait.
/// </summary>
public static class CometRemoteCalls
{
    public static void Map(RouteGroupBuilder api) => api.MapPost("/write/experiment/rpc/send", Send).Documents<SendRequest>();

    public sealed record Argument(string? Name, JsonElement Value);

    public sealed record SendRequest(string? ExperimentKey, string? FunctionName, List<Argument>? Arguments, bool CometDefined);

    public sealed record SendResponse(string Msg, string CallId);

    public static async Task<SendResponse> Send(HttpContext http, RemoteCallRepository calls, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<SendRequest>(http);
        var arguments = (request.Arguments ?? []).Select(a => new { name = a.Name ?? throw CometException.MissingField("arguments.name"), value = a.Value });
        var call = await calls.AddAsync(
            CometApi.ExperimentKey(request.ExperimentKey),
            string.IsNullOrEmpty(request.FunctionName) ? throw CometException.MissingField("functionName") : request.FunctionName,
            JsonSerializer.Serialize(arguments), request.CometDefined, http.Caller().Identity.UserId, ct);
        return new SendResponse("Sent", CometApi.Key(call.Id));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// Remote calls from the running experiment's side: the functions it offers (kept in its runtime properties, where
/// ClearML shows them too), the calls waiting for it (a heartbeat says when there are any), and their outcomes.
/// </summary>
public static class ClientlibRemoteCalls
{
    private const string FunctionsProperty = "comet_rpc_functions";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/rpc/get-pending-rpcs", Pending);
        api.MapPost("/rpc/register-rpc", Register).Documents<RegisterRequest>();
        api.MapPost("/rpc/save-rpc-result", SaveResult).Documents<ResultRequest>();
    }

    public sealed record Argument(string Name, JsonElement Value);

    public sealed record PendingCall(string CallId, string? UserName, string FunctionName, bool CometDefined, List<Argument> Arguments, long CreatedAt);

    public sealed record PendingResponse(List<PendingCall> RemoteProcedureCalls);

    public sealed record RegisterRequest(string? ExperimentKey, string? FunctionName, string? FunctionDocumentation, List<string>? ArgumentNames);

    public sealed record ResultRequest(
        string? ExperimentKey, string? CallId, JsonElement Result, string? ErrorMessage, string? ErrorStackTrace, long? StartTimeMs, long? EndTimeMs);

    public sealed record MessageResponse(string Msg);

    public static async Task<PendingResponse> Pending(string? experimentKey, RemoteCallRepository calls, UserRepository users, CancellationToken ct)
    {
        var pending = await calls.PendingAsync(CometApi.ExperimentKey(experimentKey), ct);
        var userIds = pending.Select(c => c.UserId).OfType<Guid>().Distinct().ToList();
        var names = userIds.Count == 0 ? [] : await users.QueryAsync(new UserQuery(userIds, null, null, null), ct);
        return new PendingResponse([.. pending.Select(c => new PendingCall(
            CometApi.Key(c.Id), names.FirstOrDefault(u => u.Id == c.UserId)?.Name, c.FunctionName, c.CometDefined,
            JsonSerializer.Deserialize<List<Argument>>(c.Arguments, CometJson.Options) ?? [], CometMapping.Millis(c.CreatedAt)))]);
    }

    /// <summary>A function the experiment can run on request, by name (registering it again replaces it).</summary>
    public static async Task<MessageResponse> Register(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<RegisterRequest>(http);
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(request.ExperimentKey), ct);
        var name = string.IsNullOrEmpty(request.FunctionName) ? throw CometException.MissingField("functionName") : request.FunctionName;
        var runtime = JsonText.ObjectOrEmpty(experiment.Runtime);
        var functions = runtime[FunctionsProperty] as JsonObject ?? [];
        functions[name] = new JsonObject
        {
            ["documentation"] = request.FunctionDocumentation ?? "",
            ["arguments"] = new JsonArray([.. (request.ArgumentNames ?? []).Select(a => (JsonNode?)JsonValue.Create(a))]),
        };
        runtime[FunctionsProperty] = functions.DeepClone();
        await experiments.UpdateAsync(experiment.Id, new Data.Repositories.ExperimentChanges { Runtime = runtime.ToJsonString() }, http.Caller().Identity.UserId, ct);
        return new MessageResponse("Registered");
    }

    public static async Task<MessageResponse> SaveResult(HttpContext http, RemoteCallRepository calls, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<ResultRequest>(http);
        var callId = Guid.TryParse(request.CallId ?? throw CometException.MissingField("callId"), out var id) ? id : throw new CometException(404, "Remote call not found");
        await calls.AnswerAsync(CometApi.ExperimentKey(request.ExperimentKey), callId, new RemoteCallOutcome(
            CometParameters.Text(request.Result), request.ErrorMessage, request.ErrorStackTrace,
            request.StartTimeMs is { } start ? CometMapping.Time(start) : null,
            request.EndTimeMs is { } end ? CometMapping.Time(end) : null), ct);
        return new MessageResponse("Saved");
    }
}

using System.Globalization;
using System.Text.Json;
using MlOps.Api.Auth;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Comet parameters and "others": the shared parameter rows (the hyperparameters ClearML shows).</summary>
public static class CometParameters
{
    /// <summary>The hyperparameter section Comet's log-other values live in.</summary>
    public const string OthersSection = Data.Entities.ExperimentParameter.PropertiesSection;

    /// <summary>The log-other key Comet treats as the experiment's name (what comet_ml's <c>set_name</c> sends).</summary>
    public const string NameKey = "Name";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/parameter", (HttpContext h, ExperimentRepository e, CancellationToken ct) => Log(h, e, false, ct));
        api.MapPost("/write/experiment/log-other", (HttpContext h, ExperimentRepository e, CancellationToken ct) => Log(h, e, true, ct));
        api.MapPost("/write/experiment/parameter/delete", Delete).Documents<DeleteRequest>();
        api.MapGet("/experiment/parameters", (string? experimentKey, ExperimentRepository e, CancellationToken ct) => Read(experimentKey, e, false, ct));
        api.MapGet("/experiment/log-other", (string? experimentKey, ExperimentRepository e, CancellationToken ct) => Read(experimentKey, e, true, ct));
    }

    public sealed record LogRequest(string? ExperimentKey, string? ParameterName, JsonElement ParameterValue, string? Key, JsonElement Value, long? Step, long? Timestamp);

    public sealed record DeleteRequest(string? ExperimentKey, string? ParameterName);

    public sealed record MessageResponse(string Msg);

    public sealed record SummaryValue(string Name, string? ValueMax, string? ValueMin, string? ValueCurrent, string? RunContextMax, string? RunContextMin, string? RunContextCurrent);

    public sealed record SummaryResponse(List<SummaryValue> Values);

    /// <summary>Sets one value; parameters may change whatever the experiment's status (Comet logs them while running).</summary>
    public static async Task<MessageResponse> Log(HttpContext http, ExperimentRepository experiments, bool other, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<LogRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var name = (other ? request.Key : request.ParameterName) is { Length: > 0 } given
            ? given
            : throw CometException.MissingField(other ? "key" : "parameterName");
        var value = Text(other ? request.Value : request.ParameterValue) ?? throw CometException.MissingField(other ? "value" : "parameterValue");
        var (section, parameter) = other ? (OthersSection, name) : CometMapping.Parameter(name);
        var userId = http.Caller().Identity.UserId;
        await experiments.SetParametersAsync(id, ParameterKind.Hyperparameter, [new ParameterValue(section, parameter, value, null, null)],
            ParameterMerge.Merge, force: true, anyStatus: true, userId, ct);
        if (other && name == NameKey)
        {
            await experiments.UpdateAsync(id, new ExperimentChanges { Name = value }, userId, ct);
        }
        return new MessageResponse("Saved");
    }

    /// <summary>Removes one parameter (named as logged, <c>section/name</c> or a bare name); an unknown name is no error.</summary>
    public static async Task<MessageResponse> Delete(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<DeleteRequest>(http);
        var id = CometApi.ExperimentKey(request.ExperimentKey);
        var (section, name) = CometMapping.Parameter(
            request.ParameterName is { Length: > 0 } given ? given : throw CometException.MissingField("parameterName"));
        await experiments.DeleteParametersAsync(id, ParameterKind.Hyperparameter, [(section, name)], force: true, anyStatus: true,
            http.Caller().Identity.UserId, ct);
        return new MessageResponse("Deleted");
    }

    /// <summary>Current values (parameters are not time series, so max, min and current are the same value).</summary>
    public static async Task<SummaryResponse> Read(string? experimentKey, ExperimentRepository experiments, bool others, CancellationToken ct)
    {
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct);
        return new SummaryResponse([.. experiment.Parameters
            .Where(p => p.Kind == ParameterKind.Hyperparameter && (p.Section == OthersSection) == others)
            .OrderBy(p => p.Section).ThenBy(p => p.Name)
            .Select(p => new SummaryValue(others ? p.Name : CometMapping.ParameterName(p), p.Value, p.Value, p.Value, null, null, null))]);
    }

    /// <summary>Values arrive as strings, numbers or booleans; they are stored as text, as ClearML stores them.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}

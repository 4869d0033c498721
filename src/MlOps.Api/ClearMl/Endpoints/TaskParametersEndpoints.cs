using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML's single-item parameter calls: <c>tasks.*_hyper_params</c> and <c>tasks.*_configuration*</c>.</summary>
public static class TaskParametersEndpoints
{
    /// <summary>The hyperparams section holding user properties, which may change in any status.</summary>
    private const string PropertiesSection = "properties";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("tasks.get_hyper_params", GetHyperParams);
        api.MapAction("tasks.edit_hyper_params", EditHyperParams);
        api.MapAction("tasks.delete_hyper_params", DeleteHyperParams);
        api.MapAction("tasks.get_configurations", GetConfigurations);
        api.MapAction("tasks.get_configuration_names", GetConfigurationNames);
        api.MapAction("tasks.edit_configuration", EditConfiguration);
        api.MapAction("tasks.delete_configuration", DeleteConfiguration);
    }

    public sealed record TasksRequest(List<string>? Tasks, List<string>? Names);

    public sealed record EditHyperParamsRequest(string? Task, List<ParamItem>? Hyperparams, string? ReplaceHyperparams, bool Force);

    public sealed record DeleteHyperParamsRequest(string? Task, List<ParamItem>? Hyperparams, bool Force);

    public sealed record EditConfigurationRequest(string? Task, List<ConfigurationItem>? Configuration, bool? ReplaceConfiguration, bool Force);

    public sealed record DeleteConfigurationRequest(string? Task, List<string>? Configuration, bool Force);

    public sealed record TaskHyperParams(string Task, List<ParamItem> Hyperparams);

    public sealed record GetHyperParamsResponse(List<TaskHyperParams> Params);

    public sealed record TaskConfiguration(string Task, List<ConfigurationItem> Configuration);

    public sealed record GetConfigurationsResponse(List<TaskConfiguration> Configurations);

    public sealed record TaskConfigurationNames(string Task, List<string> Names);

    public sealed record GetConfigurationNamesResponse(List<TaskConfigurationNames> Configurations);

    public sealed record UpdatedResponse(int Updated);

    public sealed record DeletedResponse(int Deleted);

    public static async Task<GetHyperParamsResponse> GetHyperParams(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var found = await ReadTasksAsync(call, tasks, ct);
        return new GetHyperParamsResponse([.. found.Select(t => new TaskHyperParams(
            t.Id.ToString("N"),
            [.. Of(t, ParameterKind.Hyperparameter).Select(p => new ParamItem(p.Section, p.Name, p.Value, p.Type, p.Description))]))]);
    }

    public static async Task<UpdatedResponse> EditHyperParams(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<EditHyperParamsRequest>();
        var values = (request.Hyperparams ?? throw ClearMlException.MissingField("hyperparams"))
            .Select(p => new ParameterValue(
                p.Section ?? throw ClearMlException.MissingField("hyperparams.section"),
                p.Name ?? throw ClearMlException.MissingField("hyperparams.name"),
                p.Value, p.Type, p.Description))
            .ToList();
        var merge = request.ReplaceHyperparams switch
        {
            null or "none" => ParameterMerge.Merge,
            "section" => ParameterMerge.ReplaceSections,
            "all" => ParameterMerge.ReplaceAll,
            var other => throw ClearMlException.Validation($"replace_hyperparams must be none, section or all, not '{other}'"),
        };
        var propertiesOnly = values.Count > 0 && values.All(v => v.Section == PropertiesSection);
        await tasks.SetParametersAsync(TasksEndpoints.TaskId(request.Task), ParameterKind.Hyperparameter, values, merge,
            request.Force, propertiesOnly, call.Http.Caller().Identity.UserId, ct);
        return new UpdatedResponse(1);
    }

    public static async Task<DeletedResponse> DeleteHyperParams(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteHyperParamsRequest>();
        var keys = (request.Hyperparams ?? throw ClearMlException.MissingField("hyperparams"))
            .Select(p => (p.Section ?? throw ClearMlException.MissingField("hyperparams.section"), p.Name))
            .ToList();
        var propertiesOnly = keys.Count > 0 && keys.All(k => k.Item1 == PropertiesSection);
        var deleted = await tasks.DeleteParametersAsync(TasksEndpoints.TaskId(request.Task), ParameterKind.Hyperparameter, keys,
            request.Force, propertiesOnly, call.Http.Caller().Identity.UserId, ct);
        return new DeletedResponse(deleted);
    }

    public static async Task<GetConfigurationsResponse> GetConfigurations(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var names = call.Read<TasksRequest>().Names;
        var found = await ReadTasksAsync(call, tasks, ct);
        return new GetConfigurationsResponse([.. found.Select(t => new TaskConfiguration(
            t.Id.ToString("N"),
            [.. Of(t, ParameterKind.Configuration)
                .Where(p => names is not { Count: > 0 } || names.Contains(p.Name))
                .Select(p => new ConfigurationItem(p.Name, p.Value, p.Type, p.Description))]))]);
    }

    public static async Task<GetConfigurationNamesResponse> GetConfigurationNames(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var found = await ReadTasksAsync(call, tasks, ct);
        return new GetConfigurationNamesResponse([.. found.Select(t => new TaskConfigurationNames(
            t.Id.ToString("N"), [.. Of(t, ParameterKind.Configuration).Select(p => p.Name)]))]);
    }

    public static async Task<UpdatedResponse> EditConfiguration(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<EditConfigurationRequest>();
        var values = (request.Configuration ?? throw ClearMlException.MissingField("configuration"))
            .Select(c => new ParameterValue("", c.Name ?? throw ClearMlException.MissingField("configuration.name"), c.Value, c.Type, c.Description))
            .ToList();
        await tasks.SetParametersAsync(TasksEndpoints.TaskId(request.Task), ParameterKind.Configuration, values,
            request.ReplaceConfiguration == true ? ParameterMerge.ReplaceAll : ParameterMerge.Merge,
            request.Force, anyStatus: false, call.Http.Caller().Identity.UserId, ct);
        return new UpdatedResponse(1);
    }

    public static async Task<DeletedResponse> DeleteConfiguration(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var request = call.Read<DeleteConfigurationRequest>();
        var keys = (request.Configuration ?? throw ClearMlException.MissingField("configuration"))
            .Select(name => ("", (string?)name))
            .ToList();
        var deleted = await tasks.DeleteParametersAsync(TasksEndpoints.TaskId(request.Task), ParameterKind.Configuration, keys,
            request.Force, anyStatus: false, call.Http.Caller().Identity.UserId, ct);
        return new DeletedResponse(deleted);
    }

    /// <summary>The requested tasks of this workspace; every id must name one.</summary>
    private static async Task<List<Experiment>> ReadTasksAsync(ClearMlCall call, ExperimentRepository tasks, CancellationToken ct)
    {
        var ids = (call.Read<TasksRequest>().Tasks ?? throw ClearMlException.MissingField("tasks")).Select(TasksEndpoints.TaskId).ToList();
        var found = await tasks.QueryAsync(new ExperimentQuery { Ids = ids, Page = new MlOps.Data.Querying.Page(0, ids.Count) }, ct);
        var missing = ids.Except(found.Select(t => t.Id)).ToList();
        return missing.Count == 0 ? found : throw ClearMlErrors.From(DomainException.NotFound(EntityKind.Experiment, string.Join(",", missing.Select(m => m.ToString("N")))));
    }

    private static IEnumerable<ExperimentParameter> Of(Experiment task, ParameterKind kind) =>
        task.Parameters.Where(p => p.Kind == kind).OrderBy(p => p.Section).ThenBy(p => p.Name);
}

using System.Text.Json.Nodes;
using MlOps.Data.Replication;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Metrics;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML <c>reports.*</c>: a report is a hidden task of type <c>report</c> whose text (markdown with embedded widgets)
/// lives in <c>report</c>; it sits in the <c>.reports</c> sub-project of the project it belongs to.
/// </summary>
public static partial class ReportsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("reports.create", Create);
        api.MapAction("reports.update", Update);
        api.MapAction("reports.move", Move);
        api.MapAction("reports.publish", Publish);
        api.MapAction("reports.archive", (ClearMlCall c, ReportRepository r, CancellationToken ct) => SetArchived(c, r, true, ct));
        api.MapAction("reports.unarchive", (ClearMlCall c, ReportRepository r, CancellationToken ct) => SetArchived(c, r, false, ct));
        api.MapAction("reports.delete", Delete);
        api.MapAction("reports.get_tags", GetTags);
        api.MapAction("reports.get_all_ex", GetAllEx);
        api.MapAction("reports.get_task_data", GetTaskData);
    }

    public sealed record ReportRequest
    {
        public string? Task { get; init; }
        public string? Name { get; init; }
        public string? Comment { get; init; }
        public List<string>? Tags { get; init; }
        public string? Report { get; init; }
        public List<string>? ReportAssets { get; init; }
        public string? Project { get; init; }
        public string? ProjectName { get; init; }
        public string? Message { get; init; }
        public bool Force { get; init; }
    }

    public sealed record CreateResponse(string Id, string ProjectId);

    public sealed record UpdateResponse(int Updated, JsonObject? Fields);

    public sealed record MoveResponse(string ProjectId);

    public sealed record ArchiveResponse(int Archived);

    public sealed record UnarchiveResponse(int Unarchived);

    public sealed record DeleteResponse(int Deleted);

    public sealed record TagsResponse(List<string> Tags);

    public static async Task<CreateResponse> Create(ClearMlCall call, ReportRepository reports, CancellationToken ct)
    {
        var request = call.Read<ReportRequest>();
        var name = request.Name ?? throw ClearMlException.MissingRequiredFields("name");
        var project = string.IsNullOrEmpty(request.Project) ? (Guid?)null : ClearMlErrors.ParseId(request.Project, EntityKind.Project);
        var report = await reports.CreateAsync(Content(request) with { Name = name }, project, call.Http.Caller().Identity.UserId, ct);
        return new CreateResponse(report.Id.ToString("N"), report.ProjectId!.Value.ToString("N"));
    }

    /// <summary>Echoes what changed as ClearML does: tags sorted, the text cut short.</summary>
    public static async Task<UpdateResponse> Update(ClearMlCall call, ReportRepository reports, CancellationToken ct)
    {
        var request = call.Read<ReportRequest>();
        var updated = await reports.UpdateAsync(TasksEndpoints.TaskId(request.Task), Content(request), call.Http.Caller().Identity.UserId, ct);
        if (!updated)
        {
            return new UpdateResponse(0, null);
        }
        var fields = call.FieldsExcept("task", "project", "project_name", "message", "force");
        if (request.Tags is { } tags)
        {
            fields["tags"] = new JsonArray([.. tags.Order(StringComparer.Ordinal).Select(t => JsonValue.Create(t))]);
        }
        if (request.Report is { Length: > 100 } text)
        {
            fields["report"] = text[..97] + "...";
        }
        return new UpdateResponse(1, fields);
    }

    /// <summary>To a project by id (null for the root) or by name (created if missing); one of them must be given.</summary>
    public static async Task<MoveResponse> Move(ClearMlCall call, ReportRepository reports, CancellationToken ct)
    {
        var request = call.Read<ReportRequest>();
        if (!call.Fields.ContainsKey("project") && string.IsNullOrEmpty(request.ProjectName))
        {
            throw ClearMlException.MissingRequiredFields("project or project_name");
        }
        var target = string.IsNullOrEmpty(request.Project) ? (Guid?)null : ClearMlErrors.ParseId(request.Project, EntityKind.Project);
        var home = await reports.MoveAsync(TasksEndpoints.TaskId(request.Task), target, request.ProjectName, call.Http.Caller().Identity.UserId, ct);
        return new MoveResponse(home.Id.ToString("N"));
    }

    public static async Task<UpdateResponse> Publish(ClearMlCall call, ReportRepository reports, CancellationToken ct)
    {
        var request = call.Read<ReportRequest>();
        var message = request.Message ?? request.Comment;
        var change = await reports.PublishAsync(TasksEndpoints.TaskId(request.Task), message, call.Http.Caller().Identity.UserId, ct);
        return new UpdateResponse(1, TasksEndpoints.StatusFields(change, "", message));
    }

    public static async Task<object> SetArchived(ClearMlCall call, ReportRepository reports, bool archived, CancellationToken ct)
    {
        await reports.SetArchivedAsync(TasksEndpoints.TaskId(call.Read<ReportRequest>().Task), archived, call.Http.Caller().Identity.UserId, ct);
        return archived ? new ArchiveResponse(1) : new UnarchiveResponse(1);
    }

    public static async Task<DeleteResponse> Delete(ClearMlCall call, ReportRepository reports, CancellationToken ct)
    {
        var request = call.Read<ReportRequest>();
        await reports.DeleteAsync(TasksEndpoints.TaskId(request.Task), request.Force, ct);
        return new DeleteResponse(1);
    }

    public static async Task<TagsResponse> GetTags(ReportRepository reports, CancellationToken ct) => new(await reports.TagsAsync(ct));

    /// <summary>
    /// The reports as tasks (with references named, as tasks.get_all_ex gives them); a project given means the reports of
    /// its <c>.reports</c> sub-project. Reports are hidden tasks, so they are always searched.
    /// </summary>
    public static async Task<TasksEndpoints.GetAllResponse> GetAllEx(
        ClearMlCall call, ReportRepository reports, ReadSide reads, CancellationToken ct)
    {
        var request = call.Read<TasksEndpoints.GetAllRequest>();
        call.Fields["type"] = new JsonArray(ReportRepository.ReportType);
        call.Fields["search_hidden"] = true;
        if (request.Project is { Count: > 0 } projects)
        {
            var homes = await reports.ReportsProjectsOfAsync([.. projects.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project))], ct);
            if (homes.Count == 0)
            {
                return new TasksEndpoints.GetAllResponse([], null);
            }
            call.Fields["project"] = new JsonArray([.. homes.Select(h => JsonValue.Create(h.ToString("N")))]);
        }
        return await TasksEndpoints.GetAllEx(call, reads, ct);
    }

    private static ReportContent Content(ReportRequest request) =>
        new(request.Name, request.Comment, request.Tags, request.Report, request.ReportAssets);
}

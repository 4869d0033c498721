using System.Text.Json.Nodes;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;
using MlOps.Data.Replication;

namespace MlOps.Api.ClearMl;

// The reads: one model, a task's output model, get_all (and _ex, with references), the frameworks in use.
public static partial class ModelsEndpoints
{
    public sealed record GetAllRequest : ListRequest
    {
        public List<string>? Project { get; init; }
        public List<string>? Task { get; init; }
        public List<string>? Parent { get; init; }
        public List<string>? User { get; init; }
        public List<string>? Framework { get; init; }
        public List<string>? Uri { get; init; }
        public bool? Ready { get; init; }
        public string? SearchText { get; init; }
    }

    public sealed record GetByIdResponse(ModelDocument Model);

    public sealed record GetAllResponse(List<JsonObject> Models, string? ScrollId);

    public static async Task<GetByIdResponse> GetById(ClearMlCall call, ModelRepository models, CancellationToken ct) =>
        new(ModelDocument.From(await models.GetAsync(ModelId(call.Read<ModelRequest>().Model), ct)));

    /// <summary>The task's last output model.</summary>
    public static async Task<GetByIdResponse> GetByTaskId(ClearMlCall call, ModelRepository models, ExperimentRepository tasks, CancellationToken ct)
    {
        var task = await tasks.GetAsync(TasksEndpoints.TaskId(call.Read<TaskRequest>().Task), ct);
        var model = TaskModels.LastOutput(task.Models)
            ?? throw new ClearMlException(400, 122, "Task is missing expected fields: field=models.output");
        return new(ModelDocument.From(await models.GetAsync(model, ct)));
    }

    /// <summary>A list page: a heavy read, on the read side (the read replica when it may).</summary>
    public static async Task<GetAllResponse> GetAll(ClearMlCall call, ReadSide reads, CancellationToken ct) =>
        await QueryAsync(call, await reads.GetAsync<ModelRepository>(ct), null, ct);

    private static async Task<GetAllResponse> QueryAsync(ClearMlCall call, ModelRepository models, ClearMlReferences? references, CancellationToken ct)
    {
        var request = call.Read<GetAllRequest>();
        var window = request.Window();
        var found = await models.QueryAsync(QueryOf(request) with { Page = window }, ct);
        var documents = found.Select(m => ClearMlQuery.Document(ModelDocument.From(m))).ToList();
        if (references is not null)
        {
            await references.ExpandModelsAsync(documents, call.Http.Caller().Identity.WorkspaceName, ct);
        }
        return new GetAllResponse([.. documents.Select(d => ClearMlQuery.Project(d, request.OnlyFields))], request.NextScrollId(window, found.Count));
    }

    /// <summary>The models a get_all request selects (its page aside).</summary>
    public static ModelQuery QueryOf(GetAllRequest request) => new()
    {
        Ids = request.Ids(),
        NamePattern = request.Name,
        ProjectIds = request.Project?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList(),
        ExperimentIds = request.Task?.Select(TasksEndpoints.TaskId).ToList(),
        ParentIds = request.Parent?.Select(ModelId).ToList(),
        UserIds = request.User?.Select(u => ClearMlErrors.ParseId(u, EntityKind.User)).ToList(),
        Frameworks = request.Framework,
        Uris = request.Uri,
        Ready = request.Ready,
        Tags = request.TagFilter(),
        SystemTags = request.SystemTagFilter(),
        SearchText = request.SearchText,
        OrderBy = request.Ordering(),
    };

    /// <summary>As get_all, with references (project, task, parent, user, company) as objects with their names.</summary>
    public static async Task<GetAllResponse> GetAllEx(ClearMlCall call, ReadSide reads, CancellationToken ct) =>
        await QueryAsync(call, await reads.GetAsync<ModelRepository>(ct), await reads.GetAsync<ClearMlReferences>(ct), ct);

    /// <summary>get_all_ex for given ids (required).</summary>
    public static Task<GetAllResponse> GetByIdEx(ClearMlCall call, ReadSide reads, CancellationToken ct) =>
        call.Fields["id"] is null ? throw ClearMlException.MissingRequiredFields("id") : GetAllEx(call, reads, ct);

    public sealed record FrameworksRequest(List<string>? Projects);

    public sealed record FrameworksResponse(List<string> Frameworks);

    public static async Task<FrameworksResponse> GetFrameworks(ClearMlCall call, ModelRepository models, CancellationToken ct)
    {
        var projects = call.Read<FrameworksRequest>().Projects?.Select(p => ClearMlErrors.ParseId(p, EntityKind.Project)).ToList();
        return new FrameworksResponse(await models.FrameworksAsync(projects, ct));
    }
}

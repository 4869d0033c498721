using System.Text.Json.Nodes;
using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>ClearML <c>models.*</c> over the shared models.</summary>
public static partial class ModelsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapAction("models.create", Create);
        api.MapAction("models.get_by_id", GetById);
        api.MapAction("models.get_by_task_id", GetByTaskId);
        api.MapAction("models.get_all", GetAll);
        api.MapAction("models.get_all_ex", GetAllEx);
        api.MapAction("models.edit", Edit);
        api.MapAction("models.update", Edit);
        api.MapAction("models.update_for_task", UpdateForTask);
        api.MapAction("models.set_ready", SetReady);
        api.MapAction("models.publish_many", PublishMany);
        api.MapAction("models.archive_many", (ClearMlCall c, ModelRepository m, CancellationToken ct) => SetArchivedMany(c, m, true, ct));
        api.MapAction("models.unarchive_many", (ClearMlCall c, ModelRepository m, CancellationToken ct) => SetArchivedMany(c, m, false, ct));
        api.MapAction("models.delete", Delete);
        api.MapAction("models.delete_many", DeleteMany);
        api.MapAction("models.add_or_update_metadata", AddOrUpdateMetadata);
        api.MapAction("models.delete_metadata", DeleteMetadata);
        api.MapAction("models.get_by_id_ex", GetByIdEx);
        api.MapAction("models.get_frameworks", GetFrameworks);
        api.MapAction("models.update_tags", UpdateTags);
        api.MapAction("models.move", Move);
        api.MapAction("models.make_public", MakePublicOrPrivate);
        api.MapAction("models.make_private", MakePublicOrPrivate);
    }

    /// <summary>A ClearML model as <c>models.get_by_id</c> returns it; design, labels and metadata are always objects.</summary>
    public sealed record ModelDocument(
        string Id,
        string Name,
        string? User,
        string Company,
        DateTime Created,
        DateTime LastUpdate,
        string? Task,
        string? Parent,
        string? Project,
        string? Comment,
        IReadOnlyList<string> Tags,
        IReadOnlyList<string> SystemTags,
        string? Framework,
        JsonObject Design,
        JsonObject Labels,
        string Uri,
        bool Ready,
        JsonObject Metadata,
        long LastIteration)
    {
        public static ModelDocument From(Model m) => new(
            m.Id.ToString("N"),
            m.Name,
            m.UserId?.ToString("N"),
            m.WorkspaceId.ToString("N"),
            m.CreatedAt,
            m.LastUpdate,
            m.ExperimentId?.ToString("N"),
            m.ParentId?.ToString("N"),
            m.ProjectId?.ToString("N"),
            m.Comment,
            [.. m.Tags.Order(StringComparer.Ordinal)],
            [.. m.SystemTags.Order(StringComparer.Ordinal)],
            m.Framework,
            JsonText.ObjectOrEmpty(m.Design),
            JsonText.ObjectOrEmpty(m.Labels),
            m.Uri ?? "",
            m.Ready,
            JsonText.ObjectOrEmpty(m.Metadata),
            m.LastIteration ?? 0);
    }

    public sealed record ModelRequest(string? Model);

    public sealed record TaskRequest(string? Task);

    public sealed record UpdatedResponse(int Updated);

    private static Guid UserId(ClearMlCall call) => call.Http.Caller().Identity.UserId;

    public static Guid ModelId(string? id) =>
        id is null ? throw ClearMlException.MissingField("model") : ClearMlErrors.ParseId(id, EntityKind.Model);

    private static Guid? OptionalId(string? id, EntityKind entity) =>
        string.IsNullOrEmpty(id) ? null : ClearMlErrors.ParseId(id, entity);
}

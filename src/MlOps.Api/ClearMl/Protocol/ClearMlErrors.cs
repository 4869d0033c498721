using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// How the shared model's rule violations read in ClearML's codes and words (apiserver/apierrors/errors.conf): the facts of a
/// <see cref="RuleViolation"/> are put in ClearML's phrasing (<c>expected=..., status=...</c>, <c>use force=True</c>) here only.
/// </summary>
public static class ClearMlErrors
{
    public static ClearMlException From(DomainException e) => (e.Error, e.Entity) switch
    {
        (DomainError.NotFound, EntityKind.Experiment) => new(400, 101, $"Invalid task id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Project) => new(400, 401, $"Invalid project id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Model) => new(400, 201, $"Invalid model id: {e.Message}"),
        (DomainError.NotFound, EntityKind.User) => new(400, 301, $"Invalid user id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Queue) => new(400, 701, $"Invalid queue id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Blob) => new(404, 0, $"file not found: {e.Message}"),
        (DomainError.NotEmpty, EntityKind.Queue) => new(400, 702, $"Queue is not empty: {e.Message}"),
        (DomainError.NoDefault, EntityKind.Queue) => new(400, 707, $"No queue is tagged as the default queue for this company: {e.Message}"),
        (DomainError.NotQueued, _) => new(400, 703, $"Invalid queue id or task not in queue: {e.Message}"),
        (DomainError.AlreadyExists, EntityKind.User) => new(400, 302, $"User id already exists: {e.Message}"),
        (DomainError.AlreadyExists, _) => new(400, 801, $"Value combination already exists (unique field already contains this value): {e.Message}"),
        (DomainError.InvalidName, EntityKind.Project) => new(400, 407, $"Invalid project name: {e.Message}"),
        (DomainError.DataValidation, _) => new(400, 800, $"Data validation error: {e.Message}"),
        (DomainError.InvalidPattern, _) => new(400, 21, $"Malformed regular expression: {e.Message}"),
        (DomainError.InvalidReference, _) => new(400, 16, $"Invalid value for fields: {e.Message}"),
        (DomainError.InvalidState, EntityKind.Experiment) when e.Violation is { Wanted: "queued" } v => new(400, 110, $"Invalid task status: task is not queued: task={v.Id}, status={v.Current}"),
        (DomainError.InvalidState, EntityKind.Experiment) when e.Violation is { } v => new(400, 110, $"Invalid task status: expected={v.Wanted}, status={v.Current}"),
        (DomainError.InvalidTransition, EntityKind.Experiment) when e.Violation is { } v =>
            new(400, 110, $"Invalid task status: Invalid status change: current_status={v.Current}, new_status={v.Wanted}"),
        (DomainError.InvalidState or DomainError.InvalidTransition, EntityKind.Experiment) => new(400, 110, $"Invalid task status: {e.Message}"),
        (DomainError.InvalidState, EntityKind.Model) => new(400, 203, $"Model is ready: {e.Message}"),
        (DomainError.WrongKind, EntityKind.Experiment) => new(400, 150, $"Passed task is not report: {e.Message}"),
        (DomainError.NotDeletable, EntityKind.Experiment) when e.Violation is { } v =>
            new(400, 123, $"Task cannot be deleted (due to status, use force=True): task={v.Id}, expected={v.Wanted}, current={v.Current}"),
        (DomainError.NotDeletable, EntityKind.Model) when e.Violation is { } v =>
            new(400, 206, $"Task that created this model exists: task that created this model exists and is published, use force=True to delete: task={v.Id}"),
        (DomainError.HasExperiments, _) when e.Violation is { } v => new(400, 402, $"Project has associated tasks: use force=true to delete: id={v.Id}"),
        (DomainError.HasModels, _) when e.Violation is { } v => new(400, 405, $"Project has associated models: use force=true to delete: id={v.Id}"),
        (DomainError.NotDeletable, EntityKind.Experiment) => new(400, 123, $"Task cannot be deleted (due to status, use force=True): {e.Message}"),
        (DomainError.NotDeletable, EntityKind.Model) => new(400, 206, $"Task that created this model exists: {e.Message}"),
        (DomainError.HasExperiments, _) => new(400, 402, $"Project has associated tasks: {e.Message}"),
        (DomainError.HasModels, _) => new(400, 405, $"Project has associated models: {e.Message}"),
        (DomainError.Unavailable, _) => new(503, 0, $"Service unavailable: {e.Message}"),
        _ => new(400, 12, $"Validation error ({e.Message})"),
    };

    /// <summary>ClearML ids are 32 hex digits; anything else cannot name an object.</summary>
    public static Guid ParseId(string? id, EntityKind entity) =>
        Guid.TryParse(id, out var guid)
            ? guid
            : throw From(DomainException.NotFound(entity, id ?? "null"));
}

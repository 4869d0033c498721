using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>How the shared model's rule violations read in ClearML's codes (apiserver/apierrors/errors.conf).</summary>
public static class ClearMlErrors
{
    public static ClearMlException From(DomainException e) => (e.Error, e.Entity) switch
    {
        (DomainError.NotFound, EntityKind.Experiment) => new(400, 101, $"invalid task id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Project) => new(400, 401, $"invalid project id: {e.Message}"),
        (DomainError.NotFound, EntityKind.Model) => new(400, 201, $"invalid model id: {e.Message}"),
        (DomainError.NotFound, EntityKind.User) => new(400, 301, $"invalid user id: {e.Message}"),
        (DomainError.AlreadyExists, _) => new(400, 801, $"value combination already exists (unique field already contains this value): {e.Message}"),
        (DomainError.InvalidInput, EntityKind.Project) when e.Message.StartsWith("invalid project name") => new(400, 407, e.Message),
        (DomainError.InvalidInput, _) when e.Message.StartsWith("malformed regular expression") => new(400, 21, e.Message),
        (DomainError.InvalidInput, _) => new(400, 12, $"Validation error ({e.Message})"),
        (DomainError.InvalidState, EntityKind.Experiment) => new(400, 110, $"invalid task status: {e.Message}"),
        (DomainError.HasDependents, EntityKind.Project) when e.Message.Contains("models") => new(400, 405, e.Message),
        (DomainError.HasDependents, EntityKind.Project) => new(400, 402, e.Message),
        _ => new(400, 0, e.Message),
    };

    /// <summary>ClearML ids are 32 hex digits; anything else cannot name an object.</summary>
    public static Guid ParseId(string? id, EntityKind entity) =>
        Guid.TryParse(id, out var guid)
            ? guid
            : throw From(DomainException.NotFound(entity, id ?? "null"));
}

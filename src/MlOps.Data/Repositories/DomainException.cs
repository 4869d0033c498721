namespace MlOps.Data.Repositories;

public enum EntityKind
{
    Project,
    Experiment,
    Model,
    User,
}

public enum DomainError
{
    NotFound,
    AlreadyExists,
    InvalidInput,
    /// <summary>The object's status does not allow the operation (without force).</summary>
    InvalidState,
    /// <summary>Other objects still refer to it (a project with experiments, say).</summary>
    HasDependents,
}

/// <summary>A rule broken by the caller; each surface maps it to its own status code and error body.</summary>
public sealed class DomainException(DomainError error, EntityKind entity, string message) : Exception(message)
{
    public DomainError Error { get; } = error;
    public EntityKind Entity { get; } = entity;

    public static DomainException NotFound(EntityKind entity, object id) => new(DomainError.NotFound, entity, $"id={id}");
}

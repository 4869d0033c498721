namespace MlOps.Data.Repositories;

public enum EntityKind
{
    Project,
    Experiment,
    Model,
    User,
    Queue,
    Worker,
    Asset,
    RegisteredModel,
    ModelVersion,
    ShareLink,
    Artifact,
    ArtifactVersion,
    VisualizationStore,
    Input,
    Concept,
    Annotation,
    AnnotationFilter,
    AnnotationEvaluation,
    Pipeline,
    Stack,
    StackComponent,
    Deployment,
    Schedule,
    Secret,
    ServiceConnector,
    RemoteCall,
    /// <summary>The stored bytes of a file, which the blob store no longer (or never) held.</summary>
    Blob,
    ApiKey,
    StorageSettings,
    ServingContainer,
}

public enum DomainError
{
    NotFound,
    AlreadyExists,
    InvalidInput,
    /// <summary>A name that breaks the naming rules (empty path segments, say).</summary>
    InvalidName,
    /// <summary>A value the stored model rejects (a name too short, say).</summary>
    DataValidation,
    InvalidPattern,
    /// <summary>A field names another object that does not exist (a task's project, say).</summary>
    InvalidReference,
    /// <summary>The object's status does not allow the operation (without force).</summary>
    InvalidState,
    /// <summary>The object cannot move from its status to the one asked for (without force).</summary>
    InvalidTransition,
    /// <summary>Deleting it needs force (it has run, or is not archived).</summary>
    NotDeletable,
    /// <summary>A project that still holds experiments.</summary>
    HasExperiments,
    /// <summary>A project that still holds models.</summary>
    HasModels,
    /// <summary>A queue that still holds entries.</summary>
    NotEmpty,
    /// <summary>No queue carries the default tag.</summary>
    NoDefault,
    /// <summary>The experiment is not waiting in that queue.</summary>
    NotQueued,
    /// <summary>A store the server relies on (the S3 blob store) cannot be reached: the same request may work later.</summary>
    Unavailable,
    /// <summary>The object is not of the kind the operation is for (a task that is not a report, say).</summary>
    WrongKind,
}

/// <summary>
/// What a broken rule is about, so that each surface words it its own way: the object, the state it is in, the state
/// the operation needs, and whether the caller may insist (ClearML's <c>force</c>).
/// </summary>
public sealed record RuleViolation(string Id, string Current, string Wanted, bool CanForce);

/// <summary>
/// A rule broken by the caller; each surface maps it to its own status code and error body. The message is plain and
/// surface-neutral; <see cref="Violation"/> carries the facts for surfaces that word them differently.
/// </summary>
public sealed class DomainException(DomainError error, EntityKind entity, string message) : Exception(message)
{
    public DomainError Error { get; } = error;
    public EntityKind Entity { get; } = entity;
    public RuleViolation? Violation { get; init; }

    public static DomainException Broken(DomainError error, EntityKind entity, RuleViolation violation, string message) =>
        new(error, entity, message) { Violation = violation };

    public static DomainException NotFound(EntityKind entity, object id) => new(DomainError.NotFound, entity, $"id={id}");
}

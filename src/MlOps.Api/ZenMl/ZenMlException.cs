using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// A failure answered as the ZenML server does: <c>{"detail": [exception class, message]}</c>, the class name
/// being what the ZenML client turns back into an exception. Validation failures (422) carry FastAPI's
/// <c>{"detail": [{"loc", "msg", "type"}]}</c> instead, built from <see cref="Location"/>.
/// </summary>
public sealed class ZenMlException(int status, string exceptionType, string message, IReadOnlyList<object>? location = null) : Exception(message)
{
    public int Status { get; } = status;
    public string ExceptionType { get; } = exceptionType;
    public IReadOnlyList<object>? Location { get; } = location;

    public static ZenMlException Unauthorized(string message) => new(401, "AuthorizationException", message);

    public static ZenMlException Forbidden(string message) => new(403, "IllegalOperationError", message);

    public static ZenMlException NotFound(string what) => new(404, "KeyError", what);

    /// <summary>A request value that fails validation, at <paramref name="location"/> (e.g. "body", "name").</summary>
    public static ZenMlException Invalid(string message, params object[] location) => new(422, "ValueError", message, location);

    public static ZenMlException From(DomainException e) => e.Error switch
    {
        DomainError.NotFound or DomainError.InvalidReference => NotFound($"{Describe(e.Entity)} not found: {e.Message}"),
        DomainError.AlreadyExists => new(409, "EntityExistsError", e.Message),
        DomainError.InvalidState or DomainError.InvalidTransition or DomainError.NotDeletable => Forbidden(e.Message),
        DomainError.Unavailable => new(503, "RuntimeError", e.Message),
        _ => Invalid(e.Message, "body"),
    };

    private static string Describe(EntityKind kind) => kind switch
    {
        EntityKind.Experiment => "Pipeline run",
        EntityKind.RegisteredModel => "Model",
        EntityKind.ModelVersion => "Model version",
        EntityKind.ArtifactVersion => "Artifact version",
        EntityKind.StackComponent => "Stack component",
        EntityKind.ServiceConnector => "Service connector",
        EntityKind.Blob => "Stored file",
        EntityKind.ApiKey => "API key",
        _ => kind.ToString(),
    };
}

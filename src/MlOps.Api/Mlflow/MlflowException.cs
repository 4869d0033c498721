using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>
/// A failure answered with MLflow's error body <c>{"error_code", "message"}</c>; the HTTP status follows from the code
/// as MLflow's server maps it (RESOURCE_ALREADY_EXISTS is a 400 there, not a 409).
/// </summary>
public sealed class MlflowException(string errorCode, string message) : Exception(message)
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    public string ErrorCode { get; } = errorCode;

    public int Status => ErrorCode switch
    {
        ResourceDoesNotExist or EndpointNotFound => 404,
        Unauthenticated => 401,
        RequestLimitExceeded => 429,
        InternalError => 500,
        TemporarilyUnavailable => 503,
        _ => 400,
    };

    public static MlflowException Invalid(string message) => new(InvalidParameterValue, message);

    public static MlflowException NotFound(string message) => new(ResourceDoesNotExist, message);

    public static MlflowException Exists(string message) => new(ResourceAlreadyExists, message);

    public static MlflowException From(DomainException e) => e.Error switch
    {
        DomainError.NotFound => NotFound(e.Entity switch
        {
            EntityKind.Experiment => "Run not found",
            EntityKind.Project => "Experiment not found",
            EntityKind.RegisteredModel => "Registered Model not found",
            EntityKind.ModelVersion => "Model Version not found",
            _ => e.Message,
        }),
        DomainError.AlreadyExists => Exists(e.Message),
        DomainError.Unavailable => new(TemporarilyUnavailable, e.Message),
        _ => Invalid(e.Message),
    };
}

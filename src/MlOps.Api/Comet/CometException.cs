using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// A failure answered with Comet's error body <c>{msg, code, data, sdk_error_code}</c>; the SDK acts on some
/// <see cref="SdkErrorCode"/>s (e.g. an unknown API key is reported as such instead of as a failed request).
/// </summary>
public sealed class CometException(int status, string message, int sdkErrorCode = 0) : Exception(message)
{
    public int Status { get; } = status;

    public int SdkErrorCode { get; } = sdkErrorCode;

    public static CometException BadRequest(string message) => new(400, message);

    public static CometException MissingField(string field) => new(400, $"{field} is required");

    public static CometException From(DomainException e) => e.Error switch
    {
        DomainError.NotFound => new(404, e.Entity switch
        {
            EntityKind.Experiment => "Experiment not found",
            EntityKind.Project => "Project not found",
            EntityKind.Model => "Model not found",
            EntityKind.Asset => "Asset not found",
            EntityKind.RegisteredModel => "Registry model not found",
            EntityKind.ModelVersion => "Registry model version not found",
            EntityKind.ShareLink => "Share link not found",
            EntityKind.Artifact => "Artifact not found",
            EntityKind.ArtifactVersion => "Artifact version not found",
            EntityKind.VisualizationStore => "Store not found",
            EntityKind.RemoteCall => "Remote call not found",
            EntityKind.Blob => "Asset has no stored content",
            _ => "Not found",
        }),
        DomainError.AlreadyExists => new(409, e.Message),
        DomainError.Unavailable => new(503, e.Message),
        _ => new(400, e.Message),
    };
}

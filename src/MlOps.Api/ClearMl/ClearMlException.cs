namespace MlOps.Api.ClearMl;

/// <summary>A failure with ClearML's result code and subcode (apiserver/apierrors/errors.conf).</summary>
public sealed class ClearMlException(int code, int subcode, string message) : Exception(message)
{
    public int Code { get; } = code;
    public int Subcode { get; } = subcode;

    public static ClearMlException InvalidTaskId(string? id) => new(400, 101, $"invalid task id: id={id}");
    public static ClearMlException InvalidProjectId(string? id) => new(400, 401, $"invalid project id: id={id}");
    public static ClearMlException MissingField(string field) => new(400, 11, $"missing required fields: {field}");
    public static ClearMlException Validation(string detail) => new(400, 12, $"Validation error ({detail})");
    public static ClearMlException InvalidStatus(string detail) => new(400, 110, $"invalid task status: {detail}");
}

namespace MlOps.Api.ClearMl;

/// <summary>A failure with ClearML's result code and subcode (apiserver/apierrors/errors.conf).</summary>
public sealed class ClearMlException(int code, int subcode, string message) : Exception(message)
{
    public int Code { get; } = code;
    public int Subcode { get; } = subcode;

    /// <summary>How most endpoints report a missing field: a validation error naming it.</summary>
    public static ClearMlException MissingField(string field) => new(400, 12, $"Validation error (error for field '{field}'. field is required!)");

    /// <summary>How endpoints that declare their required fields up front (e.g. projects.create) report one missing.</summary>
    public static ClearMlException MissingRequiredFields(string field) => new(400, 11, $"Missing required fields: missing=({field})");

    public static ClearMlException Validation(string detail) => new(400, 12, $"Validation error ({detail})");
}

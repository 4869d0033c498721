namespace MlOps.Api.Clarifai;

/// <summary>Clarifai's numeric status codes (the ones this surface uses) with their descriptions and HTTP statuses.</summary>
public static class ClarifaiStatus
{
    public const int Success = 10000;
    public const int MixedStatus = 10010;
    public const int Failure = 10020;
    public const int InsufficientScopes = 11007;
    public const int KeyInvalid = 11008;
    public const int KeyNotFound = 11009;
    public const int BadRequestFormat = 11100;
    public const int DoesNotExist = 11101;
    public const int InvalidRequest = 11102;
    public const int MethodNotAllowed = 11103;
    public const int ModelEvaluated = 21300;
    public const int AnnotationSuccess = 24150;
    public const int AnnotationInvalidArgument = 24155;
    public const int InputDownloadSuccess = 30000;
    public const int InputDoesNotExist = 30102;
    public const int InputInvalidArgument = 30104;
    public const int DuplicateKey = 40010;
    public const int InternalError = 98004;
    public const int InternalFetchingIssue = 98005;

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [Success] = "Ok",
        [MixedStatus] = "Mixed Success",
        [Failure] = "Failure",
        [InsufficientScopes] = "Insufficient scopes",
        [KeyInvalid] = "API key is invalid",
        [KeyNotFound] = "API key not found",
        [BadRequestFormat] = "Bad request format",
        [DoesNotExist] = "Resource does not exist",
        [InvalidRequest] = "Invalid request",
        [MethodNotAllowed] = "Method not allowed",
        [ModelEvaluated] = "Model is evaluated",
        [24150] = "Annotation success",
        [24151] = "Annotation pending",
        [24152] = "Annotation failure",
        [24153] = "Annotation in progress",
        [24154] = "Annotation unknown",
        [AnnotationInvalidArgument] = "Annotation invalid argument",
        [24156] = "Annotation permission denied",
        [24157] = "Annotation awaiting review",
        [24158] = "Annotation review denied",
        [24159] = "Annotation awaiting consensus review",
        [InputDownloadSuccess] = "Download complete",
        [30001] = "Download pending",
        [InputDoesNotExist] = "Input does not exist",
        [InputInvalidArgument] = "Input invalid argument",
        [DuplicateKey] = "Duplicate key",
        [InternalError] = "Internal error",
        [InternalFetchingIssue] = "Internal fetching issue",
    };

    /// <summary>Annotation status names clients may send instead of numbers.</summary>
    private static readonly Dictionary<string, int> AnnotationNames = new(StringComparer.Ordinal)
    {
        ["ANNOTATION_SUCCESS"] = 24150,
        ["ANNOTATION_PENDING"] = 24151,
        ["ANNOTATION_FAILURE"] = 24152,
        ["ANNOTATION_FAILED"] = 24152,
        ["ANNOTATION_IN_PROGRESS"] = 24153,
        ["ANNOTATION_UNKNOWN"] = 24154,
        ["ANNOTATION_UNKNOWN_STATUS"] = 24154,
        ["ANNOTATION_INVALID_ARGUMENT"] = 24155,
        ["ANNOTATION_PERMISSION_DENIED"] = 24156,
        ["ANNOTATION_AWAITING_REVIEW"] = 24157,
        ["ANNOTATION_REVIEW_DENIED"] = 24158,
        ["ANNOTATION_AWAITING_CONSENSUS_REVIEW"] = 24159,
    };

    public static string Describe(int code) => Descriptions.GetValueOrDefault(code, "Unknown");

    public static bool TryAnnotationCode(string name, out int code) => AnnotationNames.TryGetValue(name, out code);

    public static bool IsAnnotationCode(int code) => code is >= 24150 and <= 24159;

    public static int HttpStatus(int code) => code switch
    {
        Success or MixedStatus => 200,
        InsufficientScopes or 24156 => 403,
        KeyInvalid or KeyNotFound => 401,
        DoesNotExist or InputDoesNotExist => 404,
        MethodNotAllowed => 405,
        InternalError => 500,
        InternalFetchingIssue => 503,
        _ => 400,
    };
}

/// <summary>A failure answered with Clarifai's envelope: <c>{"status": {code, description, details, req_id}}</c>.</summary>
public sealed class ClarifaiException(int code, string details, int? httpStatus = null) : Exception(details)
{
    public int Code { get; } = code;
    public int HttpStatus { get; } = httpStatus ?? ClarifaiStatus.HttpStatus(code);

    public static ClarifaiException Invalid(string details) => new(ClarifaiStatus.InvalidRequest, details);

    public static ClarifaiException NotFound(string details) => new(ClarifaiStatus.DoesNotExist, details);
}

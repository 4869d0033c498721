namespace MlOps.Api.Comet;

/// <summary>The <c>sdk_error_code</c>s comet_ml acts on (its own names, from <c>comet_ml/exceptions.py</c>).</summary>
public static class SdkErrorCode
{
    public const int ApiKeyNotRegistered = 90212;
    public const int NonExistingTeam = 90219;
    public const int NoWriteAccessToExperiment = 90210;
    public const int ExperimentAlreadyExists = 90999;
    public const int NoProjectNameSpecified = 98219;
}

namespace MlOps.Api.Auth;

/// <summary>How the caller proved who they are; each surface accepts its own subset.</summary>
public enum AuthMethod
{
    /// <summary><c>Basic base64(access_key:secret_key)</c>: ClearML, only to obtain a token; or user:password (MLflow on every call).</summary>
    Basic,
    /// <summary><c>Bearer JWT</c>: ClearML and ZenML after login.</summary>
    Bearer,
    /// <summary><c>Key API_KEY</c>: Clarifai.</summary>
    Key,
    /// <summary>A bare <c>API_KEY</c> with no scheme: Comet.</summary>
    BareKey,
    /// <summary><c>Bearer API_KEY</c>: an API key sent as a token (MLflow's MLFLOW_TRACKING_TOKEN).</summary>
    BearerKey,
}

/// <summary>Why authentication failed, so each surface can answer in its own words and codes.</summary>
public enum AuthFailure
{
    Missing,
    Malformed,
    InvalidCredentials,
    InvalidToken,
    ExpiredToken,
    WrongScheme,
    /// <summary>Too many failed password sign-ins (see <see cref="PasswordLogins"/>).</summary>
    Throttled,
}

public sealed class AuthFailureException(AuthFailure failure, string message, LoginThrottledException? throttled = null) : Exception(message, throttled)
{
    public AuthFailure Failure { get; } = failure;

    /// <summary>Set when <see cref="Failure"/> is <see cref="AuthFailure.Throttled"/>.</summary>
    public LoginThrottledException? Throttled { get; } = throttled;
}

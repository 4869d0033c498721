namespace MlOps.Api.Auth;

/// <summary>How the caller proved who they are; each surface accepts its own subset.</summary>
public enum AuthMethod
{
    /// <summary><c>Basic base64(access_key:secret_key)</c>: ClearML, only to obtain a token.</summary>
    Basic,
    /// <summary><c>Bearer JWT</c>: ClearML and ZenML after login.</summary>
    Bearer,
    /// <summary><c>Key API_KEY</c>: Clarifai.</summary>
    Key,
    /// <summary>A bare <c>API_KEY</c> with no scheme: Comet.</summary>
    BareKey,
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
}

public sealed class AuthFailureException(AuthFailure failure, string message) : Exception(message)
{
    public AuthFailure Failure { get; } = failure;
}

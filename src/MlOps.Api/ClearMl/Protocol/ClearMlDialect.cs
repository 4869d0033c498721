using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.ClearMl;

/// <summary>
/// ClearML's side of the request pipeline: every answer and failure, refusals of credentials included, in the
/// <c>{"meta", "data"}</c> envelope with ClearML's result codes and subcodes.
/// </summary>
public sealed class ClearMlDialect : SurfaceDialect
{
    public static readonly ClearMlDialect Instance = new();

    public override string Name => "clearml";

    public override ValueTask BeforeAsync(HttpContext http)
    {
        ClearMlCall.ThrowIfBodyUnreadable(http);
        return ValueTask.CompletedTask;
    }

    public override IResult Unauthorized(HttpContext http, AuthFailureException failure) => ClearMlEnvelope.Error(http, Refusal(failure));

    public override IResult Answer(HttpContext http, object? result) => ClearMlEnvelope.Ok(http, result);

    public override IResult? Failure(HttpContext http, Exception error) =>
        error is ClearMlException clearMl ? ClearMlEnvelope.Error(http, clearMl) : null;

    public override IResult Rule(HttpContext http, DomainException error) => ClearMlEnvelope.Error(http, ClearMlErrors.From(error));

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) =>
        ClearMlEnvelope.Error(http, new ClearMlException(error.StatusCode, 0, error.Message));

    public override IResult Internal(HttpContext http) => ClearMlEnvelope.Error(http, new ClearMlException(500, 0, "Internal server error"));

    private static ClearMlException Refusal(AuthFailureException failure) => failure.Failure switch
    {
        AuthFailure.Missing => new(401, 20, "Unauthorized (missing credentials)"),
        AuthFailure.Malformed => new(401, 21, "Unauthorized (malformed credentials)"),
        AuthFailure.InvalidCredentials => new(401, 22, "Unauthorized (invalid credentials)"),
        AuthFailure.ExpiredToken => new(401, 30, "Invalid token (token expired)"),
        AuthFailure.InvalidToken => new(401, 30, "Invalid token"),
        AuthFailure.Throttled => new(429, 0, "Too many failed sign-in attempts; try again later"),
        _ => new(401, 10, "Unauthorized (bad authentication header type)"),
    };
}

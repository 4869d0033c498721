using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.ZenMl;

/// <summary>
/// ZenML's side of the request pipeline: answers and failures as ZenML's JSON (<c>detail</c> bodies, FastAPI's 422s,
/// a 401 with <c>WWW-Authenticate: Bearer</c>).
/// </summary>
public sealed class ZenMlDialect : SurfaceDialect
{
    public static readonly ZenMlDialect Instance = new();

    public override string Name => "zenml";

    public override IResult Unauthorized(HttpContext http, AuthFailureException failure)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ZenMlApi.Error(ZenMlException.Unauthorized(failure.Failure switch
        {
            AuthFailure.Missing => "Authentication error: not authenticated",
            AuthFailure.ExpiredToken => "Authentication error: the token has expired",
            _ => "Authentication error: invalid credentials",
        }));
    }

    public override ValueTask BeforeAsync(HttpContext http) => ZenMlView.PrepareAsync(http);

    public override IResult Answer(HttpContext http, object? result) => Results.Json(result, ZenMlApi.Json);

    public override IResult? Failure(HttpContext http, Exception error) => error is ZenMlException zen ? ZenMlApi.Error(zen) : null;

    public override IResult Rule(HttpContext http, DomainException error) => ZenMlApi.Error(ZenMlException.From(error));

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) =>
        ZenMlApi.Error(error.StatusCode == 413 ? new ZenMlException(413, "ValueError", error.Message) : ZenMlException.Invalid(error.Message, "body"));

    public override IResult Internal(HttpContext http) => ZenMlApi.Error(new ZenMlException(500, "RuntimeError", "internal server error"));
}

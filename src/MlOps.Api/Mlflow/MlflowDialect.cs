using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Mlflow;

/// <summary>
/// MLflow's side of the request pipeline: answers as MLflow's JSON, every failure as <c>{"error_code", "message"}</c>
/// with the status MLflow gives that code, and a 401 that asks for Basic credentials as MLflow's auth app does.
/// </summary>
public sealed class MlflowDialect : SurfaceDialect
{
    public static readonly MlflowDialect Instance = new();

    public override string Name => "mlflow";

    public override IResult Unauthorized(HttpContext http, AuthFailureException failure)
    {
        if (failure.Failure == AuthFailure.Throttled)
        {
            return MlflowApi.Error(new MlflowException(MlflowException.RequestLimitExceeded, failure.Message));
        }
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"mlflow\"";
        return MlflowApi.Error(new MlflowException(MlflowException.Unauthenticated, failure.Failure switch
        {
            AuthFailure.Missing => "You are not authenticated. Please see the documentation for details.",
            AuthFailure.WrongScheme => "Unsupported authorization: use Basic user:password or a Bearer token.",
            _ => "Invalid credentials.",
        }));
    }

    public override IResult Answer(HttpContext http, object? result) => Results.Json(result ?? new { }, MlflowJson.Options);

    public override IResult? Failure(HttpContext http, Exception error) => error is MlflowException mlflow ? MlflowApi.Error(mlflow) : null;

    public override IResult Rule(HttpContext http, DomainException error) => MlflowApi.Error(MlflowException.From(error));

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) =>
        MlflowApi.Error(MlflowException.Invalid(error.Message), error.StatusCode);

    public override IResult Internal(HttpContext http) => MlflowApi.Error(new MlflowException(MlflowException.InternalError, "Internal server error"));
}

using MlOps.Api.Auth;
using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet's side of the request pipeline (its policy takes the API key as a bare <c>Authorization</c> header): the request moved into a
/// member workspace it names, and every answer and failure as Comet's JSON (content type exactly application/json).
/// </summary>
public class CometDialect : SurfaceDialect
{
    public static readonly CometDialect Instance = new();

    protected CometDialect()
    {
    }

    public override string Name => "comet";

    public override IResult Unauthorized(HttpContext http, AuthFailureException failure) =>
        CometApi.Error(new CometException(401, failure.Failure == AuthFailure.Missing ? "Missing apiKey" : "Invalid apiKey"));

    public override async ValueTask BeforeAsync(HttpContext http)
    {
        await CometWorkspaces.ActInRequestedWorkspaceAsync(
            http, http.RequestServices.GetRequiredService<MembershipCache>(), http.RequestServices.GetRequiredService<Data.Tenancy.Memberships>());
    }

    public override IResult Answer(HttpContext http, object? result) => CometApi.Json(result, 200);

    public override IResult? Failure(HttpContext http, Exception error) => error is CometException comet ? CometApi.Error(comet) : null;

    public override IResult Rule(HttpContext http, DomainException error) => CometApi.Error(CometException.From(error));

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) => CometApi.Error(new CometException(error.StatusCode, error.Message));

    public override IResult Internal(HttpContext http) => CometApi.Error(new CometException(500, "Internal server error"));
}

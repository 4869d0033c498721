using MlOps.Api.Platform;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Clarifai's side of the request pipeline: a <c>Key</c> credential and the app the request names, and every answer
/// and failure inside Clarifai's <c>status</c> envelope with its codes.
/// </summary>
public sealed class ClarifaiDialect : SurfaceDialect
{
    public static readonly ClarifaiDialect Instance = new();

    public override string Name => "clarifai";

    public override IResult Unauthorized(HttpContext http, Auth.AuthFailureException failure) => Failure(http, ClarifaiApi.Unauthorized(http))!;

    public override async ValueTask BeforeAsync(HttpContext http) => await ClarifaiApi.BeforeAsync(http);

    public override IResult Answer(HttpContext http, object? result)
    {
        var reply = (ClarifaiReply)result!;
        return ClarifaiApi.Answer(http, reply.Code, reply.Payload, null);
    }

    public override IResult? Failure(HttpContext http, Exception error) =>
        error is ClarifaiException clarifai ? ClarifaiApi.Answer(http, clarifai.Code, [], clarifai.Message, clarifai.HttpStatus) : null;

    public override IResult Rule(HttpContext http, DomainException error)
    {
        var (code, details) = ClarifaiApi.FromDomain(error);
        return ClarifaiApi.Answer(http, code, [], details);
    }

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) =>
        ClarifaiApi.Answer(http, ClarifaiStatus.BadRequestFormat, [], error.Message, error.StatusCode);

    public override IResult Internal(HttpContext http) => ClarifaiApi.Answer(http, ClarifaiStatus.InternalError, [], "internal error");
}

using MlOps.Api.Platform;
using MlOps.Data;
using MlOps.Data.Repositories;

namespace MlOps.Api.Clarifai;

/// <summary>
/// Clarifai's side of the request pipeline: a <c>Key</c> credential and the app the request names, and every answer
/// and failure inside Clarifai's <c>status</c> envelope with its codes. <see cref="Translate"/> turns any failure into
/// Clarifai's status for both transports (REST here, gRPC in <see cref="Grpc.ClarifaiGrpc"/>).
/// </summary>
public sealed class ClarifaiDialect : SurfaceDialect
{
    public static readonly ClarifaiDialect Instance = new();

    public override string Name => "clarifai";

    public override IResult Unauthorized(HttpContext http, Auth.AuthFailureException failure) => Answer(ClarifaiApi.Unauthorized(http));

    public override async ValueTask BeforeAsync(HttpContext http) => await ClarifaiApi.BeforeAsync(http);

    public override IResult Answer(HttpContext http, object? result)
    {
        var reply = (ClarifaiReply)result!;
        return ClarifaiApi.Answer(reply.Code, reply.Payload, null);
    }

    public override IResult? Failure(HttpContext http, Exception error) => Answer(Translate(http, error));

    public override IResult Rule(HttpContext http, DomainException error) => Answer(Translate(http, error));

    public override IResult BadRequest(HttpContext http, BadHttpRequestException error) => Answer(Translate(http, error));

    public override IResult Internal(HttpContext http) => Answer(Internal());

    /// <summary>
    /// Any failure as Clarifai words it: its own, a broken rule of the shared model, an unreadable request, a value
    /// the database refuses; anything else is a defect, logged and answered without details.
    /// </summary>
    public static ClarifaiException Translate(HttpContext http, Exception error) => error switch
    {
        ClarifaiException clarifai => clarifai,
        DomainException rule => ClarifaiApi.FromDomain(rule),
        BadHttpRequestException bad => new ClarifaiException(ClarifaiStatus.BadRequestFormat, bad.Message, bad.StatusCode),
        _ when http.RequestServices.GetRequiredService<MlOpsDbContext>().RefusedValue(error) is { } refused => ClarifaiApi.FromDomain(refused),
        _ => Defect(http, error),
    };

    private static ClarifaiException Defect(HttpContext http, Exception error)
    {
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ClarifaiDialect>()
            .LogError(error, "Unhandled error in clarifai {Endpoint}", http.Request.Path.Value);
        return Internal();
    }

    private static ClarifaiException Internal() => new(ClarifaiStatus.InternalError, "internal error");

    private static IResult Answer(ClarifaiException failure) => ClarifaiApi.Answer(failure.Code, [], failure.Message, failure.HttpStatus);
}

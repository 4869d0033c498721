using MlOps.Api.Hosting;
using MlOps.Data;
using MlOps.Data.Repositories;

namespace MlOps.Api.Platform;

/// <summary>
/// The one endpoint filter of every surface: refuses NUL characters in the path and query, lets the surface's dialect
/// check and prepare the request, runs the handler (again on fresh reads if its write lost a race), and writes the
/// answer, or any failure, in the surface's own format. Nothing escapes as a bare 500.
/// </summary>
public sealed class SurfaceFilter(SurfaceDialect dialect) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            NulGuard.ThrowIfInPathOrQuery(http);
            await dialect.BeforeAsync(http);
            var result = await ConflictRetry.InvokeAsync(context, next);
            return result as IResult ?? dialect.Answer(http, result);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return dialect.Failure(http, error) ?? error switch
            {
                DomainException rule => dialect.Rule(http, rule),
                BadHttpRequestException bad => dialect.BadRequest(http, bad),
                _ when http.RequestServices.GetRequiredService<MlOpsDbContext>().RefusedValue(error) is { } refused => dialect.Rule(http, refused),
                _ => Defect(http, error),
            };
        }
    }

    private IResult Defect(HttpContext http, Exception error)
    {
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<SurfaceFilter>()
            .LogError(error, "Unhandled error in {Surface} {Endpoint}", dialect.Name, http.Request.Path.Value);
        return dialect.Internal(http);
    }
}

public static class SurfaceFilterExtensions
{
    /// <summary>Every endpoint of the group answers in <paramref name="dialect"/>'s format through <see cref="SurfaceFilter"/>.</summary>
    public static RouteGroupBuilder WithDialect(this RouteGroupBuilder group, SurfaceDialect dialect) =>
        group.AddEndpointFilter(new SurfaceFilter(dialect)).WithMetadata(dialect);
}

using MlOps.Data.Repositories;

namespace MlOps.Api.Platform;

/// <summary>
/// What makes one wire surface different in the request pipeline, and nothing else: what it checks and prepares before
/// a handler runs, and how it writes an answer and each kind of failure in its own format. <see cref="SurfaceFilter"/>
/// does everything the surfaces share, once.
/// </summary>
public abstract class SurfaceDialect
{
    /// <summary>The surface's name in logs.</summary>
    public abstract string Name { get; }

    /// <summary>A request without a credential the surface takes (its policy refused it), as the surface's 401 (or 429).</summary>
    public abstract IResult Unauthorized(HttpContext http, Auth.AuthFailureException failure);

    /// <summary>Runs before the handler, once the surface's policy let the caller in: what the request acts on.</summary>
    public virtual ValueTask BeforeAsync(HttpContext http) => ValueTask.CompletedTask;

    /// <summary>A handler's result as the surface answers it.</summary>
    public abstract IResult Answer(HttpContext http, object? result);

    /// <summary>The surface's own failure (its exception type) as its error body; null for any other exception.</summary>
    public abstract IResult? Failure(HttpContext http, Exception error);

    /// <summary>A broken rule of the shared model, worded and coded as the surface does.</summary>
    public abstract IResult Rule(HttpContext http, DomainException error);

    /// <summary>A request the server could not read (malformed, too large, a NUL character).</summary>
    public abstract IResult BadRequest(HttpContext http, BadHttpRequestException error);

    /// <summary>A defect: logged by the filter, answered without details.</summary>
    public abstract IResult Internal(HttpContext http);
}

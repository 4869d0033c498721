using Microsoft.EntityFrameworkCore;
using MlOps.Data;
using MlOps.Data.Repositories;

namespace MlOps.Api.Hosting;

/// <summary>
/// A request whose write found a row changed since the request read it (two writers of one task's documents) runs
/// again from the start on fresh reads, so both changes are kept; each surface's filter runs its handler through it.
/// </summary>
public static class ConflictRetry
{
    private const int MaxAttempts = 10;

    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await RunAsync(context.HttpContext, () => next(context).AsTask());

    /// <summary>Runs <paramref name="run"/>, again from the start on fresh reads when its write lost a race (any transport).</summary>
    public static async Task<T> RunAsync<T>(HttpContext http, Func<Task<T>> run)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run();
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                http.RequestServices.GetRequiredService<MlOpsDbContext>().ForgetReads();
                // Exponential backoff with jitter: many writers of one row (on a busy machine) spread out instead of colliding again.
                await Task.Delay(Random.Shared.Next(1, Math.Min(250, 4 << attempt)), http.RequestAborted);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(DomainError.InvalidState, EntityKind.Experiment,
                    $"the object kept changing while this request tried {MaxAttempts} times to write it; try again");
            }
        }
    }
}

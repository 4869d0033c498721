using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MlOps.Api.Hosting;

/// <summary>
/// Serves ZenML's dashboard (<c>MlOps:ZenMlDashboard:Path</c>, built for the base path <c>/zenml/</c>) beside ClearML's
/// web UI at <c>/</c>: its files under <c>/zenml/</c>, every other page under it (a deep link such as
/// <c>/zenml/projects/default/runs/{id}</c>) answered with its <c>index.html</c>, which then calls <c>/api/v1</c>
/// on this origin. Without the setting nothing here is active.
/// </summary>
public static class ZenMlDashboardHosting
{
    public const string BasePath = "/zenml";

    public static WebApplication UseZenMlDashboard(this WebApplication app)
    {
        if (Files(app) is { } files)
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = BasePath, OnPrepareResponse = NoCacheForIndex });
        }
        return app;
    }

    public static void MapZenMlDashboard(this WebApplication app)
    {
        if (Files(app) is not { } files)
        {
            return;
        }
        app.MapGet(BasePath + "/{**page}", (HttpContext context, string? page) =>
        {
            if (page is not null && Path.GetFileName(page).Contains('.'))
            {
                return Results.NotFound(); // a missing asset, not a page
            }
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(files.GetFileInfo("index.html").PhysicalPath!, "text/html; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
    }

    /// <summary>The page is fetched again on every visit, so a rebuilt dashboard's new asset names are picked up.</summary>
    private static void NoCacheForIndex(StaticFileResponseContext context)
    {
        if (context.File.Name == "index.html")
        {
            context.Context.Response.Headers.CacheControl = "no-cache";
        }
    }

    private static PhysicalFileProvider? Files(WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value.ZenMlDashboard.Path;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        var root = System.IO.Path.GetFullPath(path);
        return File.Exists(System.IO.Path.Combine(root, "index.html"))
            ? new PhysicalFileProvider(root)
            : throw new InvalidOperationException($"MlOps:ZenMlDashboard:Path has no index.html: {root}");
    }
}

using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MlOps.Api.Mlflow;
using MlOps.Api.Platform;

namespace MlOps.Api.Hosting;

/// <summary>
/// Serves MLflow's own UI (<c>MlOps:MlflowUi:Path</c>, the <c>build</c> of <c>mlflow/server/js</c>,
/// <c>tests/mlflow-ui/build.sh</c>) at <c>/mlflow/</c> as MLflow's server serves it at its root: the page at
/// <c>/mlflow/</c> (any deeper page too), its files under <c>/mlflow/static-files/</c>. The page's relative calls
/// (<c>ajax-api/2.0/mlflow/...</c>, <c>get-artifact</c>, <c>model-versions/get-artifact</c>) reach the MLflow API,
/// which <see cref="MlflowApi"/> maps under <c>/mlflow/</c> as well. The page asks for sign-in as MLflow's auth app
/// does (a 401 with <c>WWW-Authenticate: Basic</c>, which the browser answers with its prompt and then sends on every
/// call under <c>/mlflow/</c>); a ClearML web UI session cookie on this origin signs in too. Without the setting nothing
/// here is active.
/// </summary>
public static class MlflowUiHosting
{
    public const string BasePath = "/mlflow";

    public static WebApplication UseMlflowUi(this WebApplication app)
    {
        if (Files(app) is { } files)
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = BasePath + "/static-files", OnPrepareResponse = NoCacheForIndex });
        }
        return app;
    }

    public static void MapMlflowUi(this WebApplication app)
    {
        if (Files(app) is not { } files)
        {
            return;
        }
        var ui = app.MapGroup(BasePath).ExcludeFromDescription().WithDialect(MlflowDialect.Instance).RequireAuthorization(Auth.AuthSchemes.MlflowPolicy);
        ui.MapGet("/{**page}", (HttpContext context, string? page) =>
        {
            if (page is null && !context.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect(BasePath + "/"); // the page's relative calls need the trailing slash
            }
            if (page is not null && Path.GetFileName(page).Contains('.'))
            {
                return Results.NotFound(); // a missing file, not a page
            }
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(files.GetFileInfo("index.html").PhysicalPath!, "text/html; charset=utf-8");
        });
    }

    /// <summary>The page is fetched again on every visit, so a rebuilt UI's new asset names are picked up.</summary>
    private static void NoCacheForIndex(StaticFileResponseContext context)
    {
        if (context.File.Name == "index.html")
        {
            context.Context.Response.Headers.CacheControl = "no-cache";
        }
    }

    private static PhysicalFileProvider? Files(WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value.MlflowUi.Path;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        var root = System.IO.Path.GetFullPath(path);
        return File.Exists(System.IO.Path.Combine(root, "index.html"))
            ? new PhysicalFileProvider(root)
            : throw new InvalidOperationException($"MlOps:MlflowUi:Path has no index.html: {root}");
    }
}

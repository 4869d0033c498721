using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MlOps.Api.Hosting;

/// <summary>
/// Serves a built ClearML web UI (<c>MlOps:WebUi:Path</c>) at <c>/</c>: its files win over API routes, deep links
/// fall back to <c>index.html</c>, and <c>/configuration.json</c> points the UI at this server's <c>/api</c> and
/// <c>/files</c> unless the directory has its own. <c>MlOps:Cors:Origins</c> lets a UI on another origin call
/// with its session cookie. Without these settings nothing here is active.
/// </summary>
public static class WebUiHosting
{
    private const string CorsPolicy = "web-ui";
    private static readonly string[] ApiPrefixes = ["/api/", "/v2/", "/files/", "/health/", "/swagger"];

    public static IServiceCollection AddWebUiCors(this IServiceCollection services, CorsOptions options) =>
        options.Origins.Count == 0 ? services : services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
            policy.WithOrigins([.. options.Origins]).AllowCredentials().AllowAnyHeader().AllowAnyMethod()));

    public static WebApplication UseWebUi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value;
        if (options.Cors.Origins.Count > 0)
        {
            app.UseCors(CorsPolicy);
        }
        if (Files(options) is { } files)
        {
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        return app;
    }

    public static void MapWebUi(this WebApplication app)
    {
        if (Files(app.Services.GetRequiredService<IOptions<MlOpsOptions>>().Value) is not { } files)
        {
            return;
        }
        app.MapGet("/configuration.json", () => Results.Json(new { apiBaseUrl = "/api", fileBaseUrl = "/files" })).ExcludeFromDescription().AllowAnonymous();
        app.MapFallback(context =>
        {
            var path = context.Request.Path.Value ?? "/";
            var page = HttpMethods.IsGet(context.Request.Method) && !ApiPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                && !Path.GetFileName(path).Contains('.');
            if (!page)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        }).AllowAnonymous();
    }

    private static PhysicalFileProvider? Files(MlOpsOptions options)
    {
        if (string.IsNullOrEmpty(options.WebUi.Path))
        {
            return null;
        }
        var root = Path.GetFullPath(options.WebUi.Path);
        return File.Exists(Path.Combine(root, "index.html"))
            ? new PhysicalFileProvider(root)
            : throw new InvalidOperationException($"MlOps:WebUi:Path has no index.html: {root}");
    }
}

namespace MlOps.Api.ZenMl;

/// <summary>
/// The HttpOnly cookie a password login sets for ZenML's dashboard, which never sends <c>Authorization</c>: the
/// attributes ZenML's server gives it. A sign-in from the server's own site (or a subdomain of it) gets
/// <c>SameSite=Lax</c>; one from another site, which only a browser with credentialed CORS makes, needs
/// <c>SameSite=None; Secure</c> to be sent back at all.
/// </summary>
public static class ZenMlSessionCookie
{
    public static void Append(HttpContext http, string name, string token, long lifetimeSeconds)
    {
        var sameSite = IsSameSite(http.Request);
        http.Response.Cookies.Append(name, token, new CookieOptions
        {
            HttpOnly = true,
            Path = "/",
            SameSite = sameSite ? SameSiteMode.Lax : SameSiteMode.None,
            Secure = !sameSite,
            MaxAge = TimeSpan.FromSeconds(lifetimeSeconds),
        });
    }

    public static void Delete(HttpContext http, string name) =>
        http.Response.Cookies.Delete(name, new CookieOptions { HttpOnly = true, Path = "/", SameSite = SameSiteMode.Lax });

    /// <summary>The request's origin (or referer) is this server's host or a subdomain of it; no origin at all counts as same-site.</summary>
    private static bool IsSameSite(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString() is { Length: > 0 } o ? o : request.Headers.Referer.ToString();
        if (origin.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return true;
        }
        var server = request.Host.Host;
        return originUri.Host.Equals(server, StringComparison.OrdinalIgnoreCase)
            || originUri.Host.EndsWith("." + server, StringComparison.OrdinalIgnoreCase);
    }
}

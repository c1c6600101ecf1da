using Devana.Infrastructure.Identity;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Response headers that close browser attack paths (NetEscapades.AspNetCore.SecurityHeaders): every response
/// says <c>X-Content-Type-Options: nosniff</c>; the pages a browser renders — the login page and the console at
/// <c>/app/</c> — also get a strict Content-Security-Policy (they have no inline script or style and load
/// nothing from elsewhere), no framing and no referrer. Kestrel's <c>Server</c> header is switched off in
/// <c>Program.cs</c> (it is written below any middleware).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The pages' policy; docs/app.md and docs/identity.md quote it.</summary>
    public const string PageContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private static readonly HeaderPolicyCollection s_api = new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff();

    private static readonly HeaderPolicyCollection s_pages = new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyNoReferrer()
        .AddCustomHeader("Content-Security-Policy", PageContentSecurityPolicy);

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services)
    {
        services.AddSecurityHeaderPolicies()
            .SetPolicySelector(context => IsPage(context.HttpContext.Request.Path) ? s_pages : s_api);
        return services;
    }

    /// <summary>The login page and everything under <c>/app</c> (the console, its scripts and styles).</summary>
    public static bool IsPage(PathString path) =>
        path.StartsWithSegments(DevanaAuthentication.LoginPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(WebAppOrigins.AppPath.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}

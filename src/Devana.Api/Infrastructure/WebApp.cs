using Devana.Infrastructure.Identity;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Devana.Api.Infrastructure;

/// <summary>
/// The Devana console (docs/app.md): static files under <c>wwwroot/app</c>, served at <c>/app/</c>,
/// with <c>/</c> and <c>/app</c> sent there and every other path under <c>/app/</c> (the sign-in callback,
/// a reloaded deep link) answered with its page. No build step: the files are served as they are.
/// </summary>
public static class WebApp
{
    /// <summary><c>/</c> and <c>/app</c> sent to <c>/app/</c>; static files (the console and the login page's stylesheet), revalidated on each use so an upgrade shows at once.</summary>
    public static IApplicationBuilder UseWebAppFiles(this IApplicationBuilder app)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".LICENSE"] = "text/plain; charset=utf-8";
        // "/app" without its slash would resolve the page's relative URLs against "/": send it to "/app/".
        app.Use((context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value is "/" or "" or "/app")
            {
                context.Response.Redirect(context.Request.PathBase + WebAppOrigins.AppPath);
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
    }

    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallbackToFile("app/{*path:nonfile}", "app/index.html");
        return endpoints;
    }
}

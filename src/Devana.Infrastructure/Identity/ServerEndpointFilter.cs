using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Ends OpenIddict's server pipeline at once for a request that cannot be one of its endpoints (an API call):
/// registered right before OpenIddict's <see cref="InferEndpointType"/>.
/// </summary>
/// <remarks>
/// ASP.NET Core hands every request to the OpenIddict server first, and <see cref="InferEndpointType"/> builds an
/// absolute <see cref="Uri"/> for each configured endpoint to compare with the request's: the server's handling
/// of API calls was 3.3% of Devana's CPU at concurrency 64, 1.2% with this filter (docs/performance.md). A request that is an endpoint has a path that ends with
/// that endpoint's path (its own, or the base path's followed by the endpoint's relative one), give or take a
/// trailing slash and the letter case: that is all this filter checks, so it lets through everything
/// <see cref="InferEndpointType"/> could match, and the rest of the server's request handlers act only on a
/// request whose endpoint was found. A request it skips goes on to the application exactly as one of unknown
/// endpoint type did.
/// </remarks>
internal sealed class ServerEndpointFilter : IOpenIddictServerHandler<ProcessRequestContext>
{
    /// <summary>Where the filter is placed: after the request's URI is resolved, before the endpoints are matched.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
        .UseSingletonHandler<ServerEndpointFilter>()
        .SetOrder(InferEndpointType.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    private static readonly Uri AnyBase = new("http://localhost/", UriKind.Absolute);

    /// <summary>The endpoints' paths, worked out once for the options they came from.</summary>
    private Endpoints? _endpoints;

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RequestUri is { IsAbsoluteUri: true } request && !MayBeEndpoint(request.AbsolutePath, PathsOf(context.Options)))
        {
            context.SkipRequest();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Whether <paramref name="requestPath"/> could be one of the endpoints at <paramref name="endpointPaths"/> (an empty one matches everything).</summary>
    internal static bool MayBeEndpoint(string requestPath, string[] endpointPaths)
    {
        var path = requestPath.AsSpan();
        if (path.EndsWith('/'))
        {
            path = path[..^1];
        }

        foreach (var endpoint in endpointPaths)
        {
            if (path.EndsWith(endpoint, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Each endpoint's path without its slashes at either end: an absolute endpoint's own, a relative one's as
    /// OpenIddict combines it with a base (its leading slash dropped, its characters escaped as in a request's path).
    /// </summary>
    internal static string[] EndpointPaths(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEnumerable<Uri> endpoints =
        [
            .. options.AuthorizationEndpointUris, .. options.ConfigurationEndpointUris, .. options.DeviceAuthorizationEndpointUris,
            .. options.EndSessionEndpointUris, .. options.EndUserVerificationEndpointUris, .. options.IntrospectionEndpointUris,
            .. options.JsonWebKeySetEndpointUris, .. options.PushedAuthorizationEndpointUris, .. options.RevocationEndpointUris,
            .. options.TokenEndpointUris, .. options.UserInfoEndpointUris,
        ];

        return endpoints
            .Select(uri => (uri.IsAbsoluteUri ? uri : new Uri(AnyBase, uri.OriginalString.TrimStart('/'))).AbsolutePath.Trim('/'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    private string[] PathsOf(OpenIddictServerOptions options)
    {
        var known = _endpoints;
        if (known is null || !ReferenceEquals(known.Options, options))
        {
            known = new Endpoints(options, EndpointPaths(options));
            _endpoints = known;
        }

        return known.Paths;
    }

    private sealed record Endpoints(OpenIddictServerOptions Options, string[] Paths);
}

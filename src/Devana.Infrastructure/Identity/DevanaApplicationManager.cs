using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// OpenIddict's application manager, with one addition: the first-party client <c>devana-web</c> also
/// accepts the Devana console's own callback and page on the bases <see cref="WebAppOrigins"/> allows,
/// besides the redirect URIs stored for it (<c>Devana:Bootstrap:WebRedirectUris</c>). Every other
/// client, and every other URI, is checked against the stored lists only.
/// </summary>
public sealed class DevanaApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    WebAppOrigins origins) : OpenIddictApplicationManager<TApplication>(cache, logger, options, store)
    where TApplication : class
{
    public override async ValueTask<bool> ValidateRedirectUriAsync(TApplication application, string uri, CancellationToken cancellationToken = default) =>
        await base.ValidateRedirectUriAsync(application, uri, cancellationToken)
        || (await IsWebClientAsync(application, cancellationToken) && origins.IsCallback(uri));

    public override async ValueTask<bool> ValidatePostLogoutRedirectUriAsync(TApplication application, string uri, CancellationToken cancellationToken = default) =>
        await base.ValidatePostLogoutRedirectUriAsync(application, uri, cancellationToken)
        || (await IsWebClientAsync(application, cancellationToken) && origins.IsAppPage(uri));

    private async ValueTask<bool> IsWebClientAsync(TApplication application, CancellationToken cancellationToken) =>
        string.Equals(await GetClientIdAsync(application, cancellationToken), DevanaAuthentication.WebClientId, StringComparison.Ordinal);
}

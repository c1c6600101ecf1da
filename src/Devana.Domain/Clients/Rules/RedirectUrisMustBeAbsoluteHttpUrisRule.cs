using Devana.Domain.Common;

namespace Devana.Domain.Clients.Rules;

/// <summary>
/// Redirect URIs are compared exactly by the authorization server, so they must be absolute http(s)
/// URIs without a fragment (RFC 6749 §3.1.2); at most <see cref="ApiClient.MaxRedirectUris"/>.
/// </summary>
public sealed class RedirectUrisMustBeAbsoluteHttpUrisRule(IReadOnlyCollection<string> redirectUris) : IBusinessRule
{
    public bool IsBroken() => redirectUris.Count > ApiClient.MaxRedirectUris || redirectUris.Any(uri => !IsValid(uri));

    public string Message => $"redirect_uris must hold at most {ApiClient.MaxRedirectUris} absolute http or https URIs without a fragment.";

    public string? Param => "redirect_uris";

    private static bool IsValid(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(parsed.Fragment)
        && uri.Length <= 2000;
}

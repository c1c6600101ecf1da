using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.WebUtilities;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Drives the authorization code + PKCE flow as a browser would: cookies kept, redirects read one by
/// one, the login form fetched and posted with its antiforgery token. Nothing is short-cut: the code
/// comes from the real login page and the tokens from the real token endpoint.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    public const string WebClientId = "devana-web";
    public const string WebRedirectUri = "http://localhost:5173/callback";
    public const string DefaultScope = "openid profile email offline_access completions agents files admin";

    private readonly HttpClient _browser;

    public BrowserSession(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        // Cookies kept, redirects not followed: each hop is read by the test.
        _browser = factory.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(Cookies));
    }

    public HttpClient Client => _browser;

    public CookieContainer Cookies { get; } = new();

    public static string AuthorizeUrl(string clientId, string redirectUri, string scope, string? codeChallenge, string codeChallengeMethod = "S256", string state = "xyz")
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
        };
        if (codeChallenge is not null)
        {
            query["code_challenge"] = codeChallenge;
            query["code_challenge_method"] = codeChallengeMethod;
        }

        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _browser.GetAsync(url);

    /// <summary>Fetches the login form and posts it; returns the login POST's response.</summary>
    public async Task<HttpResponseMessage> SubmitLoginAsync(string loginUrl, string workspace, string email, string password)
    {
        var page = await _browser.GetAsync(loginUrl);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken(html);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Workspace"] = workspace,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        return await _browser.PostAsync(loginUrl, form);
    }

    /// <summary>
    /// Starts at the authorization endpoint, signs in on the login page when sent there, and follows
    /// the redirects back to the client's redirect URI, which it returns (it carries the code or the error).
    /// </summary>
    public async Task<Uri> AuthorizeAsync(string authorizeUrl, string workspace, string email, string password)
    {
        var response = await _browser.GetAsync(authorizeUrl);
        if (IsRedirectTo(response, "/account/login"))
        {
            var loginUrl = Location(response).PathAndQuery;
            var login = await SubmitLoginAsync(loginUrl, workspace, email, password);
            if (login.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"The login page refused the sign-in: {await login.Content.ReadAsStringAsync()}");
            }

            response = await _browser.GetAsync(Location(login).PathAndQuery);
        }

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Location(response);
    }

    /// <summary>The whole flow for <see cref="WebClientId"/>: a code from the login page, redeemed with its verifier.</summary>
    public async Task<TokenResponse> SignInAsync(string workspace, string email, string password, string scope = DefaultScope)
    {
        var pkce = Pkce.Create();
        var callback = await AuthorizeAsync(AuthorizeUrl(WebClientId, WebRedirectUri, scope, pkce.Challenge), workspace, email, password);
        var code = QueryOf(callback, "code") ?? throw new InvalidOperationException($"No code in {callback}.");
        return await RedeemAsync(code, pkce.Verifier);
    }

    public Task<TokenResponse> RedeemAsync(string code, string? verifier, string clientId = WebClientId, string redirectUri = WebRedirectUri)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        return OAuth.PostFormAsync(_browser, "/connect/token", form);
    }

    public static string? QueryOf(Uri uri, string name)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;
    }

    public Uri Location(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location ?? throw new InvalidOperationException($"{(int)response.StatusCode} without a Location header.");
        return location.IsAbsoluteUri ? location : new Uri(_browser.BaseAddress!, location);
    }

    public bool IsRedirectTo(HttpResponseMessage response, string path) =>
        response.StatusCode == HttpStatusCode.Redirect && Location(response).AbsolutePath.Equals(path, StringComparison.OrdinalIgnoreCase);

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryInput().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups["value"].Value) : throw new InvalidOperationException("The login page has no antiforgery token.");
    }

    public void Dispose() => _browser.Dispose();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex AntiforgeryInput();
}

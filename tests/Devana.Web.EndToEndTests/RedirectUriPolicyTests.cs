using System.Net;
using Devana.Infrastructure.Identity;
using Devana.Web.EndToEndTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using NSubstitute;

namespace Devana.Web.EndToEndTests;

/// <summary>A host with a public URL, for <see cref="RedirectUriPolicyTests"/>.</summary>
public sealed class PublicUrlFixture : ConsoleFixture
{
    public const string PublicUrl = "https://devana.example.com/base/";

    protected override bool NeedsBrowser => false;

    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { [IdentitySettings.IssuerKey] = PublicUrl };
}

/// <summary>
/// devana-web accepts the console's callback (and its page after sign-out) on the origins the host
/// listens on and under its public URL, and nothing else; no other client gets that allowance.
/// These run over HTTP against the real Kestrel host, without a browser.
/// </summary>
public sealed class RedirectUriPolicyTests(PublicUrlFixture fixture) : IClassFixture<PublicUrlFixture>
{
    private string Origin => fixture.Host.Origin.GetLeftPart(UriPartial.Authority);

    [Theory]
    [InlineData("{origin}/app/callback")]
    [InlineData("https://devana.example.com/base/app/callback")]
    [InlineData("http://localhost:5173/callback")]
    public async Task Authorize_TheConsolesCallback_GoesToTheLoginPage(string redirectUri)
    {
        using var response = await AuthorizeAsync("devana-web", redirectUri.Replace("{origin}", Origin, StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        new Uri(fixture.Host.Origin, response.Headers.Location!).AbsolutePath.Should().Be("/account/login");
    }

    [Theory]
    [InlineData("http://evil.example/app/callback")]
    [InlineData("{origin}/other/callback")]
    [InlineData("{origin}/app/callback?next=x")]
    [InlineData("{origin}/app/callback/more")]
    [InlineData("https://devana.example.com/app/callback")]
    [InlineData("http://devana.example.com/base/app/callback")]
    [InlineData("https://devana.example.com.evil.example/base/app/callback")]
    public async Task Authorize_AnyOtherRedirectUri_IsRefused(string redirectUri)
    {
        using var response = await AuthorizeAsync("devana-web", redirectUri.Replace("{origin}", Origin, StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("redirect_uri");
    }

    [Fact]
    public async Task Authorize_AnotherPublicClient_DoesNotGetTheConsolesCallback()
    {
        using var created = await fixture.Host.Http.PostAsync("/v1/clients", JsonContent("""{"name": "Other app", "type": "public", "scopes": ["completions"], "redirect_uris": ["https://other.example/cb"]}"""));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var clientId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("client_id").GetString()!;

        using var response = await AuthorizeAsync(clientId, $"{Origin}/app/callback");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Logout_BackToTheConsole_IsAccepted_AndElsewhereRefused()
    {
        using var client = NewClient();
        using var back = await client.GetAsync(QueryHelpers.AddQueryString("/connect/logout", new Dictionary<string, string?>
        {
            ["client_id"] = "devana-web",
            ["post_logout_redirect_uri"] = $"{Origin}/app/",
        }));
        back.StatusCode.Should().Be(HttpStatusCode.Redirect);
        back.Headers.Location!.ToString().Should().StartWith($"{Origin}/app/");

        using var elsewhere = await client.GetAsync(QueryHelpers.AddQueryString("/connect/logout", new Dictionary<string, string?>
        {
            ["client_id"] = "devana-web",
            ["post_logout_redirect_uri"] = "http://evil.example/app/",
        }));
        elsewhere.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public void Bases_AWildcardBinding_StandsForTheLoopbackNamesOnItsPort()
    {
        var origins = new WebAppOrigins(Server("http://0.0.0.0:5000", "https://[::]:5001", "http://devana.internal:8080"), Settings(null));

        origins.IsCallback("http://localhost:5000/app/callback").Should().BeTrue();
        origins.IsCallback("http://127.0.0.1:5000/app/callback").Should().BeTrue();
        origins.IsCallback("https://[::1]:5001/app/callback").Should().BeTrue();
        origins.IsCallback("http://devana.internal:8080/app/callback").Should().BeTrue();
        origins.IsCallback("http://localhost:5001/app/callback").Should().BeFalse("5001 is bound for https only");
        origins.IsCallback("http://somewhere.else:5000/app/callback").Should().BeFalse();
        origins.IsAppPage("http://localhost:5000/app/").Should().BeTrue();
        origins.IsAppPage("http://localhost:5000/").Should().BeFalse();
        origins.IsCallback("not a uri").Should().BeFalse();
    }

    [Fact]
    public void Bases_ThePublicUrl_KeepsItsPath_AndAMalformedOneStopsTheStart()
    {
        var withPath = new WebAppOrigins(Server(), Settings("https://devana.example.com/base"));
        withPath.IsCallback("https://devana.example.com/base/app/callback").Should().BeTrue();
        withPath.IsCallback("https://devana.example.com/app/callback").Should().BeFalse();

        var malformed = () => Settings("devana.example.com");
        malformed.Should().Throw<InvalidOperationException>().WithMessage($"*{IdentitySettings.IssuerKey}*");
    }

    private static IServer Server(params string[] addresses)
    {
        var feature = Substitute.For<IServerAddressesFeature>();
        feature.Addresses.Returns(addresses.ToList());
        var features = new FeatureCollection();
        features.Set(feature);
        var server = Substitute.For<IServer>();
        server.Features.Returns(features);
        return server;
    }

    /// <summary>The identity settings as the host reads them (Development, so no certificates are needed).</summary>
    private static IdentitySettings Settings(string? publicUrl) => IdentitySettings.FromConfiguration(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [IdentitySettings.IssuerKey] = publicUrl }).Build(),
        isDevelopment: true);

    private HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.Host.Origin };

    private async Task<HttpResponseMessage> AuthorizeAsync(string clientId, string redirectUri)
    {
        using var client = NewClient();
        return await client.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid completions",
            ["state"] = "s",
            ["code_challenge"] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ["code_challenge_method"] = "S256",
        }));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

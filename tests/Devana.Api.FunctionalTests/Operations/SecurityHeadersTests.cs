using System.Net;
using System.Net.Http.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Operations;

/// <summary>The real host on a real Kestrel port: the <c>Server</c> header is Kestrel's, so a TestServer cannot show it.</summary>
public sealed class KestrelFactory : DevanaApiFactory
{
    public KestrelFactory() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    public override Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    /// <summary>A client of the real port (a TestServer client would not see Kestrel's headers).</summary>
    public HttpClient CreateKestrelClient(bool allowAutoRedirect = true) => new(new HttpClientHandler { AllowAutoRedirect = allowAutoRedirect })
    {
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
    };
}

public sealed class SecurityHeadersTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    public static TheoryData<string> AnyResponse() => new()
    {
        "/v1/models",
        "/health/live",
        "/no/such/route",
        "/.well-known/openid-configuration",
        "/app/",
        "/account/login",
    };

    [Theory]
    [MemberData(nameof(AnyResponse))]
    public async Task EveryResponse_SaysNoSniff_AndNamesNoServer(string path)
    {
        using var client = factory.CreateKestrelClient(allowAutoRedirect: false);

        using var response = await client.GetAsync(path);

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.Contains("Server").Should().BeFalse(string.Join(", ", response.Headers.Select(h => h.Key)));
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/app/")]
    [InlineData("/app/js/main.js")]
    [InlineData("/app/callback")]
    public async Task Pages_GetTheStrictContentSecurityPolicy(string path)
    {
        using var client = factory.CreateKestrelClient(allowAutoRedirect: false);

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Be(SecurityHeaders.PageContentSecurityPolicy);
        csp.Should().NotContain("unsafe-inline").And.NotContain("unsafe-eval").And.NotContain("*");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
    }

    [Fact]
    public async Task ApiResponses_AndErrors_CarryNoPagePolicy()
    {
        using var client = factory.CreateKestrelClient();

        using var models = await client.GetAsync("/v1/models");
        using var error = await client.PostAsJsonAsync("/completions", new { model = "x" });

        models.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        models.Headers.Contains("Content-Security-Policy").Should().BeFalse();
        error.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }
}

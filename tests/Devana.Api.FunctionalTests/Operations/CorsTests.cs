using System.Net;
using Microsoft.Extensions.Configuration;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Operations;

public sealed class CorsFactory : DevanaApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Cors:AllowedOrigins:0"] = "https://app.example.com";
        return settings;
    }
}

public sealed class CorsTests(CorsFactory factory) : IClassFixture<CorsFactory>
{
    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/completions")
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "POST" },
            { "Access-Control-Request-Headers", "authorization,content-type" },
        },
    };

    [Fact]
    public async Task Preflight_FromAnAllowedOrigin_IsAllowedWithTheApiHeaders()
    {
        var response = await factory.CreateClient().SendAsync(Preflight("https://app.example.com"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://app.example.com");
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().Should().Contain("authorization").And.Contain("content-type");
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsHeaders()
    {
        var response = await factory.CreateClient().SendAsync(Preflight("https://evil.example.com"));

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task Response_ToAnAllowedOrigin_ExposesRequestIdAndRateLimitHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "Origin", "https://app.example.com" } } };

        var response = await factory.CreateClient().SendAsync(request);

        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        exposed.Should().Contain("x-request-id").And.Contain("x-ratelimit-remaining-requests").And.Contain("x-ratelimit-reset-tokens");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example.com/path")]
    [InlineData("not an origin")]
    public void AllowedOrigins_WhenNotAnOrigin_StopStartupNamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Devana:Cors:AllowedOrigins"] = value })
            .Build();

        var act = () => Devana.Api.Infrastructure.CorsSetup.AllowedOrigins(configuration);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Devana:Cors:AllowedOrigins");
    }

    [Fact]
    public void AllowedOrigins_ByDefault_AreNone()
    {
        var configuration = new ConfigurationBuilder().Build();

        Devana.Api.Infrastructure.CorsSetup.AllowedOrigins(configuration).Should().BeEmpty();
    }
}

using Devana.Infrastructure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Devana.Infrastructure.IntegrationTests.Identity;

/// <summary>
/// The filter that lets API calls leave OpenIddict's server pipeline early: it skips only requests that
/// OpenIddict's own endpoint matching (<see cref="InferEndpointType"/>) finds no endpoint for. The real host's
/// configuration is checked in the Api functional ServerEndpointFilterTests.
/// </summary>
public sealed class ServerEndpointFilterTests
{
    private static OpenIddictServerOptions Options()
    {
        var options = new OpenIddictServerOptions();
        options.TokenEndpointUris.Add(new Uri("connect/token", UriKind.Relative));
        options.AuthorizationEndpointUris.Add(new Uri("/connect/authorize", UriKind.Relative));
        options.ConfigurationEndpointUris.Add(new Uri(".well-known/openid-configuration", UriKind.Relative));
        options.UserInfoEndpointUris.Add(new Uri("connect/user info", UriKind.Relative));
        options.DeviceAuthorizationEndpointUris.Add(new Uri("https://login.example.com/oauth/device/", UriKind.Absolute));
        return options;
    }

    [Fact]
    public void EndpointPaths_AreTheEndpointsPaths_WithoutTheirSlashes_EscapedAsInARequest()
    {
        // OpenIddict's defaults come with it: the discovery documents and the key set.
        ServerEndpointFilter.EndpointPaths(Options()).Should().BeEquivalentTo(
            "connect/token", "connect/authorize", ".well-known/openid-configuration", "connect/user%20info", "oauth/device",
            ".well-known/oauth-authorization-server", ".well-known/jwks");
    }

    [Theory]
    [InlineData("/connect/token", true)]
    [InlineData("/connect/token/", true)]
    [InlineData("/CONNECT/Token", true)]
    [InlineData("/devana/connect/token", true)]
    [InlineData("/connect/user%20info", true)]
    [InlineData("/oauth/device", true)]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/completions", false)]
    [InlineData("/connect/tokens", false)]
    [InlineData("/connect", false)]
    [InlineData("/", false)]
    public void MayBeEndpoint_ByThePathsEnd(string path, bool expected) =>
        ServerEndpointFilter.MayBeEndpoint(path, ServerEndpointFilter.EndpointPaths(Options())).Should().Be(expected);

    [Fact]
    public void AnEndpointAtTheBasePathItself_LetsEveryRequestThrough()
    {
        var options = Options();
        options.JsonWebKeySetEndpointUris.Add(new Uri("/", UriKind.Relative));

        ServerEndpointFilter.MayBeEndpoint("/v1/chat/completions", ServerEndpointFilter.EndpointPaths(options)).Should().BeTrue();
    }

    /// <summary>Every request OpenIddict finds an endpoint for goes through.</summary>
    [Theory]
    [InlineData("https://devana.example/", "connect/token")]
    [InlineData("https://devana.example/", "connect/token/")]
    [InlineData("https://devana.example/", "Connect/Authorize")]
    [InlineData("https://devana.example/", ".well-known/openid-configuration")]
    [InlineData("https://devana.example/", "connect/user%20info")]
    [InlineData("https://devana.example/base/", "connect/token")]
    [InlineData("https://login.example.com/", "oauth/device")]
    public async Task ARequestOpenIddictFindsAnEndpointFor_IsNeverSkipped(string baseUri, string path)
    {
        var (inferred, filtered) = await BothAsync(baseUri, path);

        inferred.Should().NotBe(OpenIddictServerEndpointType.Unknown);
        filtered.IsRequestSkipped.Should().BeFalse();
    }

    /// <summary>API calls, and the other requests no endpoint can match, leave the server's pipeline.</summary>
    [Theory]
    [InlineData("https://devana.example/", "v1/chat/completions")]
    [InlineData("https://devana.example/", "v1/agents/connect")]
    [InlineData("https://devana.example/base/", "completions")]
    [InlineData("https://devana.example/", "")]
    public async Task ARequestNoEndpointCanMatch_IsSkipped(string baseUri, string path)
    {
        var (inferred, filtered) = await BothAsync(baseUri, path);

        inferred.Should().Be(OpenIddictServerEndpointType.Unknown);
        filtered.IsRequestSkipped.Should().BeTrue();
    }

    /// <summary>What OpenIddict's own matching finds for the request, and the filter's context after it ran on the same request.</summary>
    private static async Task<(OpenIddictServerEndpointType Inferred, ProcessRequestContext Filtered)> BothAsync(string baseUri, string path)
    {
        var options = Options();
        ProcessRequestContext Context() => new(new OpenIddictServerTransaction { Options = options, Logger = NullLogger.Instance })
        {
            BaseUri = new Uri(baseUri, UriKind.Absolute),
            RequestUri = new Uri(baseUri + path, UriKind.Absolute),
        };

        var inferred = Context();
        await new InferEndpointType().HandleAsync(inferred);
        var filtered = Context();
        await new ServerEndpointFilter().HandleAsync(filtered);
        return (inferred.EndpointType, filtered);
    }

    [Fact]
    public async Task ARequestWithoutAnAbsoluteUri_IsLeftToOpenIddict()
    {
        var context = new ProcessRequestContext(new OpenIddictServerTransaction { Options = Options(), Logger = NullLogger.Instance });

        await new ServerEndpointFilter().HandleAsync(context);

        context.IsRequestSkipped.Should().BeFalse();
    }
}

using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>
/// On the real host, API calls leave OpenIddict's server pipeline before it matches endpoints
/// (<see cref="ServerEndpointFilter"/>), and every endpoint of Devana's configuration still answers.
/// </summary>
public sealed class ServerEndpointFilterTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private OpenIddictServerOptions Options => factory.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;

    [Fact]
    public void TheFilter_RunsAfterTheRequestsUriIsResolved_AndBeforeTheEndpointsAreMatched()
    {
        var handlers = Options.Handlers;
        int OrderOf(Type type) => handlers.Single(handler => handler.ServiceDescriptor.ServiceType == type).Order;

        OrderOf(typeof(ServerEndpointFilter)).Should()
            .BeGreaterThan(OrderOf(typeof(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri)))
            .And.BeLessThan(OrderOf(typeof(InferEndpointType)));
    }

    [Theory]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/completions", false)]
    [InlineData("/v1/agents", false)]
    [InlineData("/connect/token", true)]
    [InlineData("/connect/authorize", true)]
    [InlineData("/connect/userinfo", true)]
    [InlineData("/connect/revoke", true)]
    [InlineData("/connect/introspect", true)]
    [InlineData("/connect/logout", true)]
    [InlineData("/.well-known/openid-configuration", true)]
    [InlineData("/.well-known/jwks", true)]
    public void DevanasEndpoints_AreLetThrough_AndTheApiIsNot(string path, bool endpoint) =>
        ServerEndpointFilter.MayBeEndpoint(path, ServerEndpointFilter.EndpointPaths(Options)).Should().Be(endpoint);

    [Fact]
    public async Task TheEndpoints_StillAnswer_AndSoDoesTheApi()
    {
        (await _client.GetAsync("/.well-known/openid-configuration/")).StatusCode.Should().Be(HttpStatusCode.OK, "a trailing slash still finds the endpoint");
        (await _client.GetAsync("/.well-known/jwks")).StatusCode.Should().Be(HttpStatusCode.OK);
        var token = await OAuth.ClientCredentialsAsync(_client, "devana-dev", "devana-dev-secret");

        using var api = factory.CreateBearerClient(token.RequireAccessToken());
        var response = await api.GetAsync("/v1/agents");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await _client.GetAsync("/v1/agents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "skipping the server's pipeline does not skip the API's authentication");
    }
}

using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>OpenIddict validation in front of the API: every refusal is a 401 or 403 in the contract's envelope.</summary>
public sealed class ApiProtectionTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private const string ProtectedPath = "/v1/clients";

    [Fact]
    public async Task Request_WithoutAToken_Is401InvalidTokenWithABareBearerChallenge()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync(ProtectedPath);

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    [Fact]
    public async Task Request_WithAMalformedToken_Is401InvalidToken()
    {
        using var client = factory.CreateBearerClient("not-a-jwt");

        var response = await client.GetAsync(ProtectedPath);

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        BearerChallenge(response).Should().Contain("error=\"invalid_token\"");
    }

    [Fact]
    public async Task Request_WithATamperedToken_Is401InvalidToken()
    {
        var caller = await factory.CreateMachineClientAsync();
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        // Same header and signature, another payload: the signature no longer matches.
        var forged = OAuth.ReadJwtPayload(token).ToString().Replace(caller.WorkspaceId, "ws_forged", StringComparison.Ordinal);
        parts[1] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var client = factory.CreateBearerClient(string.Join('.', parts));

        var response = await client.GetAsync(ProtectedPath);

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task Request_WithAValidTokenWithoutTheEndpointsScope_Is403InsufficientScope()
    {
        var caller = await factory.CreateMachineClientAsync(scopes: ["files"]);

        var response = await caller.Client.GetAsync(ProtectedPath);

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
        error.GetProperty("message").GetString().Should().Contain("admin");
        BearerChallenge(response).Should().Contain("error=\"insufficient_scope\"").And.Contain("scope=\"admin\"");
    }

    [Fact]
    public async Task Request_WithARevokedAccessToken_Is401()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["admin"]);
        using var http = factory.CreateClient();
        var token = (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).RequireAccessToken();
        using var api = factory.CreateBearerClient(token);
        (await api.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);

        var revocation = await OAuth.RevokeAsync(http, client.ClientId, client.Secret, token);
        var response = await api.GetAsync(ProtectedPath);

        revocation.Status.Should().Be(HttpStatusCode.OK);
        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task Request_WithTheTokenOfADeletedClient_Is401()
    {
        var admin = await factory.CreateMachineClientAsync();
        var doomed = await factory.CreateMachineClientAsync();
        (await doomed.Client.GetAsync(ProtectedPath)).StatusCode.Should().Be(HttpStatusCode.OK);

        var deletion = await admin.Client.DeleteAsync($"/v1/clients/{doomed.PrincipalId}");
        var response = await doomed.Client.GetAsync(ProtectedPath);

        deletion.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task Request_WithAnIdentityTokenInsteadOfAnAccessToken_Is401()
    {
        var user = await factory.SeedUserAsync(role: "owner");
        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync(user.WorkspaceName, user.Email, user.Password);
        using var client = factory.CreateBearerClient(tokens.IdToken!);

        var response = await client.GetAsync(ProtectedPath);

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    private static string BearerChallenge(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.WwwAuthenticate.Select(header => header.ToString()));
}

/// <summary>The host with a clock the test moves: token expiry without sleeping.</summary>
public sealed class ClockedApiFactory : DevanaApiFactory
{
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class TokenExpiryTests(ClockedApiFactory factory) : IClassFixture<ClockedApiFactory>
{
    [Fact]
    public async Task AccessToken_AfterItsHour_Is401AndBeforeIsAccepted()
    {
        var caller = await factory.CreateMachineClientAsync();

        factory.Clock.Advance(TimeSpan.FromMinutes(59));
        var before = await caller.Client.GetAsync("/v1/clients");
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await caller.Client.GetAsync("/v1/clients");

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        await after.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }
}

using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Auth;

/// <summary>The scope policies answer with the contract's envelope, whatever the authentication scheme.</summary>
public sealed class ScopePolicyTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task ProtectedEndpoint_WithoutAToken_Returns401WithBearerChallenge()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/v1/conversations");

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    [Fact]
    public async Task ProtectedEndpoint_WithoutItsScope_Returns403InsufficientScope()
    {
        var caller = await factory.CreateMachineClientAsync(scopes: ["files"]);

        var response = await caller.Client.GetAsync("/v1/conversations");

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
        error.GetProperty("message").GetString().Should().Contain("completions");
    }

    [Fact]
    public async Task ProtectedEndpoint_WithItsScope_IsServed()
    {
        var user = await factory.CreateUserAsync();
        var machine = await factory.CreateMachineClientAsync(scopes: ["completions"]);

        (await user.Client.GetAsync("/v1/conversations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await machine.Client.GetAsync("/v1/conversations")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

/// <summary>No or bad token: 401; a token without the scope an endpoint needs: 403 <c>insufficient_scope</c>.</summary>
public sealed class AgentsAuthorizationTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/v1/agents" },
        { "GET", "/v1/agents/some-agent" },
        { "POST", "/v1/agents" },
        { "PATCH", "/v1/agents/some-agent" },
        { "PUT", "/v1/agents/some-agent" },
        { "DELETE", "/v1/agents/some-agent" },
        { "GET", "/v1/models" },
        { "GET", "/v1/models/some-agent" },
        { "GET", "/v1/llms" },
    };

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PATCH" or "PUT" ? new StringContent("""{"name": "a"}""", System.Text.Encoding.UTF8, "application/json") : null,
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Request_WithoutToken_Returns401WithBearerChallenge(string method, string path)
    {
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Request(method, path));

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    [Fact]
    public async Task Request_WithAGarbageToken_Returns401InvalidToken()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await client.GetAsync("/v1/agents");

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Theory]
    [InlineData("GET", "/v1/agents")]
    [InlineData("POST", "/v1/agents")]
    [InlineData("PATCH", "/v1/agents/some-agent")]
    [InlineData("DELETE", "/v1/agents/some-agent")]
    public async Task AgentsEndpoint_WithTokenLackingAgentsScope_Returns403InsufficientScope(string method, string path)
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace(), scopes: ["completions", "files"]);

        var response = await caller.Client.SendAsync(Request(method, path));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
        error.GetProperty("message").GetString().Should().Contain("'agents'");
    }

    [Theory]
    [InlineData("completions")]
    [InlineData("agents")]
    public async Task ModelsAndLlms_AcceptCompletionsOrAgentsScope(string scope)
    {
        var caller = await factory.CreateMachineClientAsync(AgentsApi.NewWorkspace(), [scope]);

        (await caller.Client.GetAsync("/v1/models")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await caller.Client.GetAsync("/v1/llms")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/llms")]
    public async Task ModelsAndLlms_WithOnlyFilesScope_Return403InsufficientScope(string path)
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace(), scopes: ["files"]);

        var response = await caller.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
    }
}

using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Identity;

public sealed class ClientCredentialsTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private const string DevClientId = "devana-dev";
    private const string DevClientSecret = "devana-dev-secret";
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Token_ForTheBootstrapClient_OpensAProtectedEndpoint()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, DevClientId, DevClientSecret);

        using var api = factory.CreateBearerClient(token.RequireAccessToken());
        var response = await api.GetAsync("/v1/clients");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        token.String("token_type").Should().Be("Bearer");
        token.ExpiresIn.Should().BeInRange(3590, 3600);
    }

    [Fact]
    public async Task Token_CarriesThePrincipalClaimsForTheApi()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, DevClientId, DevClientSecret);

        var claims = OAuth.ReadJwtPayload(token.RequireAccessToken());

        claims.GetProperty("sub").GetString().Should().StartWith("cli_");
        claims.GetProperty("workspace_id").GetString().Should().Be(await factory.GetWorkspaceIdAsync());
        claims.GetProperty("principal_kind").GetString().Should().Be("client");
        claims.GetProperty("scope").GetString()!.Split(' ').Should().BeEquivalentTo("completions", "agents", "files", "admin");
        AudiencesOf(claims).Should().Contain("devana-api");
        claims.TryGetProperty("role", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Token_WhenAScopeSubsetIsAsked_CarriesOnlyThatSubset()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, DevClientId, DevClientSecret, "files agents");

        OAuth.ReadJwtPayload(token.RequireAccessToken()).GetProperty("scope").GetString()!.Split(' ').Should().BeEquivalentTo("files", "agents");
    }

    [Fact]
    public async Task Token_WithAWrongSecret_IsInvalidClient()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, DevClientId, "not-the-secret");

        token.Error.Should().Be("invalid_client");
        token.AccessToken.Should().BeNull();
    }

    [Fact]
    public async Task Token_ForAnUnknownClient_IsInvalidClient()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, "nobody", "whatever");

        token.Error.Should().Be("invalid_client");
    }

    [Fact]
    public async Task Token_WithAnUnsupportedGrant_IsUnsupportedGrantType()
    {
        var token = await OAuth.PostFormAsync(_client, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = DevClientId,
            ["client_secret"] = DevClientSecret,
            ["username"] = "admin@devana.local",
            ["password"] = "Devana-dev-password-1",
        });

        token.Error.Should().Be("unsupported_grant_type");
    }

    [Fact]
    public async Task Token_WithAnUnknownScope_IsInvalidScope()
    {
        var token = await OAuth.ClientCredentialsAsync(_client, DevClientId, DevClientSecret, "agents everything");

        token.Error.Should().Be("invalid_scope");
    }

    [Fact]
    public async Task Token_WithAScopeNotGrantedToTheClient_IsRefusedAsInvalidRequest()
    {
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["files"]);

        var token = await OAuth.ClientCredentialsAsync(_client, client.ClientId, client.Secret!, "admin");

        // OpenIddict's own answer for a registered scope outside the client's permissions (an unknown
        // scope is invalid_scope, above).
        token.Error.Should().Be("invalid_request");
        token.AccessToken.Should().BeNull();
    }

    [Fact]
    public async Task Token_WithoutAGrantType_IsInvalidRequest()
    {
        var token = await OAuth.PostFormAsync(_client, "/connect/token", new Dictionary<string, string> { ["client_id"] = DevClientId });

        token.Error.Should().Be("invalid_request");
    }

    [Fact]
    public async Task Discovery_AdvertisesTheEndpointsFlowsAndS256Only()
    {
        var response = await _client.GetAsync("/.well-known/openid-configuration");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        root.GetProperty("token_endpoint").GetString().Should().EndWith("/connect/token");
        root.GetProperty("authorization_endpoint").GetString().Should().EndWith("/connect/authorize");
        root.GetProperty("userinfo_endpoint").GetString().Should().EndWith("/connect/userinfo");
        root.GetProperty("revocation_endpoint").GetString().Should().EndWith("/connect/revoke");
        root.GetProperty("introspection_endpoint").GetString().Should().EndWith("/connect/introspect");
        root.GetProperty("end_session_endpoint").GetString().Should().EndWith("/connect/logout");
        root.GetProperty("jwks_uri").GetString().Should().EndWith("/.well-known/jwks");
        Strings(root, "grant_types_supported").Should().BeEquivalentTo("client_credentials", "authorization_code", "refresh_token");
        Strings(root, "code_challenge_methods_supported").Should().Equal("S256");
        Strings(root, "scopes_supported").Should().Contain(["openid", "offline_access", "completions", "agents", "files", "admin"]);
    }

    private static IEnumerable<string> AudiencesOf(JsonElement claims)
    {
        var aud = claims.GetProperty("aud");
        return aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(item => item.GetString()!).ToList() : [aud.GetString()!];
    }

    private static List<string> Strings(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(item => item.GetString()!).ToList();
}

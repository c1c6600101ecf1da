using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary><c>/v1/clients</c>: scope admin, a workspace admin, one workspace at a time.</summary>
public sealed class ClientsApiTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task Create_Confidential_Returns201WithASecretShownOnceThatWorks()
    {
        var admin = await factory.CreateMachineClientAsync("clients-create");

        var response = await admin.Client.PostAsJsonAsync("/v1/clients", new { name = "Nightly batch", type = "confidential", scopes = new[] { "files", "agents" } });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await ReadAsync(response);
        created.GetProperty("id").GetString().Should().MatchRegex("^cli_[0-9a-z]{24}$");
        created.GetProperty("object").GetString().Should().Be("client");
        created.GetProperty("client_id").GetString().Should().NotBeNullOrEmpty();
        created.GetProperty("name").GetString().Should().Be("Nightly batch");
        created.GetProperty("type").GetString().Should().Be("confidential");
        created.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).Should().BeEquivalentTo("files", "agents");
        created.GetProperty("redirect_uris").GetArrayLength().Should().Be(0);
        created.GetProperty("created_at").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60);

        using var http = factory.CreateClient();
        var token = await OAuth.ClientCredentialsAsync(http, created.GetProperty("client_id").GetString()!, created.GetProperty("client_secret").GetString()!);
        var claims = OAuth.ReadJwtPayload(token.RequireAccessToken());
        claims.GetProperty("sub").GetString().Should().Be(created.GetProperty("id").GetString());
        claims.GetProperty("workspace_id").GetString().Should().Be(admin.WorkspaceId);
    }

    [Fact]
    public async Task Create_Public_Returns201WithoutASecret()
    {
        var admin = await factory.CreateMachineClientAsync("clients-create");

        var response = await admin.Client.PostAsJsonAsync("/v1/clients", new { name = "SPA", type = "public", scopes = new[] { "completions" }, redirect_uris = new[] { "https://spa.example.com/callback" } });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await ReadAsync(response);
        created.GetProperty("client_secret").ValueKind.Should().Be(JsonValueKind.Null);
        created.GetProperty("redirect_uris").EnumerateArray().Select(uri => uri.GetString()).Should().Equal("https://spa.example.com/callback");
    }

    [Theory]
    [InlineData("""{"type": "confidential", "scopes": ["files"]}""", "missing_required_parameter", "name")]
    [InlineData("""{"name": "x", "scopes": ["files"]}""", "missing_required_parameter", "type")]
    [InlineData("""{"name": "x", "type": "secretive", "scopes": ["files"]}""", "invalid_value", "type")]
    [InlineData("""{"name": "x", "type": "confidential", "scopes": []}""", "missing_required_parameter", "scopes")]
    [InlineData("""{"name": "x", "type": "confidential", "scopes": ["files", "everything"]}""", "unknown_parameter_value", "scopes[1]")]
    [InlineData("""{"name": "x", "type": "public", "scopes": ["files"]}""", "invalid_value", "redirect_uris")]
    [InlineData("""{"name": "x", "type": "public", "scopes": ["files"], "redirect_uris": ["/relative"]}""", "invalid_value", "redirect_uris")]
    public async Task Create_WithBadInput_Is400NamingTheParam(string body, string code, string param)
    {
        var admin = await factory.CreateMachineClientAsync("clients-create");

        var response = await admin.Client.PostAsync("/v1/clients", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", code, param);
    }

    [Fact]
    public async Task List_PagesNewestFirstWithoutSecrets()
    {
        var admin = await factory.CreateMachineClientAsync("clients-paging");
        foreach (var name in new[] { "one", "two", "three" })
        {
            (await admin.Client.PostAsJsonAsync("/v1/clients", new { name, type = "confidential", scopes = new[] { "files" } })).EnsureSuccessStatusCode();
        }

        var first = await ReadAsync(await admin.Client.GetAsync("/v1/clients?limit=2"));
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await ReadAsync(await admin.Client.GetAsync($"/v1/clients?limit=2&after={cursor}"));

        first.GetProperty("object").GetString().Should().Be("list");
        first.GetProperty("has_more").GetBoolean().Should().BeTrue();
        Names(first).Should().Equal("three", "two");
        second.GetProperty("has_more").GetBoolean().Should().BeFalse();
        second.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.Null);
        second.GetProperty("data").GetArrayLength().Should().Be(2, "the caller's own client is the oldest");
        Names(second).Should().Equal("one");
        first.GetProperty("data")[0].TryGetProperty("client_secret", out _).Should().BeFalse();
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersWorkspace()
    {
        var admin = await factory.CreateMachineClientAsync("clients-iso-a");
        var other = await factory.CreateMachineClientAsync("clients-iso-b");

        var list = await ReadAsync(await admin.Client.GetAsync("/v1/clients?limit=100"));

        var ids = list.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetString()).ToList();
        ids.Should().Contain(admin.PrincipalId).And.NotContain(other.PrincipalId);
    }

    [Fact]
    public async Task Delete_AnotherWorkspacesClient_Is404AndLeavesItWorking()
    {
        var admin = await factory.CreateMachineClientAsync("clients-iso-a");
        var other = await factory.CreateMachineClientAsync("clients-iso-b");

        var deletion = await admin.Client.DeleteAsync($"/v1/clients/{other.PrincipalId}");
        var rotation = await admin.Client.PostAsync($"/v1/clients/{other.PrincipalId}/secret", null);

        await deletion.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "client_not_found");
        await rotation.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "client_not_found");
        (await other.Client.GetAsync("/v1/clients")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_Returns204_AndThenTheClientIsGone()
    {
        var admin = await factory.CreateMachineClientAsync();
        var doomed = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["files"]);

        var first = await admin.Client.DeleteAsync($"/v1/clients/{doomed.Id}");
        var again = await admin.Client.DeleteAsync($"/v1/clients/{doomed.Id}");
        using var http = factory.CreateClient();
        var token = await OAuth.ClientCredentialsAsync(http, doomed.ClientId, doomed.Secret!);

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await again.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "client_not_found");
        token.Error.Should().Be("invalid_client");
    }

    [Fact]
    public async Task Delete_TheFirstPartyWebClient_Is403AccessDenied()
    {
        var admin = await factory.CreateMachineClientAsync();
        var list = await ReadAsync(await admin.Client.GetAsync("/v1/clients?limit=100"));
        var web = list.GetProperty("data").EnumerateArray().Single(item => item.GetProperty("client_id").GetString() == "devana-web");

        var response = await admin.Client.DeleteAsync($"/v1/clients/{web.GetProperty("id").GetString()}");

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }

    [Fact]
    public async Task RotateSecret_ReturnsANewSecretOnce_AndTheOldOneStopsWorking()
    {
        var admin = await factory.CreateMachineClientAsync();
        var client = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["files"]);

        var response = await admin.Client.PostAsync($"/v1/clients/{client.Id}/secret", null);
        var rotated = await ReadAsync(response);
        var newSecret = rotated.GetProperty("client_secret").GetString()!;
        using var http = factory.CreateClient();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        rotated.GetProperty("id").GetString().Should().Be(client.Id);
        newSecret.Should().NotBe(client.Secret);
        (await OAuth.ClientCredentialsAsync(http, client.ClientId, client.Secret!)).Error.Should().Be("invalid_client");
        (await OAuth.ClientCredentialsAsync(http, client.ClientId, newSecret)).RequireAccessToken();
    }

    [Fact]
    public async Task RotateSecret_OfAPublicClient_Is400()
    {
        var admin = await factory.CreateMachineClientAsync();
        var spa = await factory.SeedClientAsync(DevanaApiFactory.DefaultWorkspace, ["files"], Domain.Clients.ClientType.Public, ["https://spa.example.com/cb"]);

        var response = await admin.Client.PostAsync($"/v1/clients/{spa.Id}/secret", null);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value");
    }

    [Fact]
    public async Task AnyAdminEndpoint_ForAMemberUserHoldingTheAdminScope_Is403AccessDenied()
    {
        var member = await factory.CreateUserAsync(role: "member");

        var list = await member.Client.GetAsync("/v1/clients");
        var create = await member.Client.PostAsJsonAsync("/v1/clients", new { name = "x", type = "confidential", scopes = new[] { "files" } });

        await list.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await create.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }

    [Fact]
    public async Task List_ForAnAdminUser_Succeeds()
    {
        var admin = await factory.CreateUserAsync(role: "admin");

        var response = await admin.Client.GetAsync("/v1/clients");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static List<string?> Names(JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("name").GetString()).Where(name => name is "one" or "two" or "three").ToList();
}

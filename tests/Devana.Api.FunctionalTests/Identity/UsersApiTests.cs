using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary><c>/v1/users</c>: scope admin, a workspace admin, one workspace at a time.</summary>
public sealed class UsersApiTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task Create_Returns201_AndTheUserCanSignIn()
    {
        var admin = await factory.CreateMachineClientAsync("users-create");
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var response = await admin.Client.PostAsJsonAsync("/v1/users", new { email, password = "A-long-enough-password", role = "member", name = "New Person" });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await ReadAsync(response);
        created.GetProperty("id").GetString().Should().MatchRegex("^usr_[0-9a-z]{24}$");
        created.GetProperty("object").GetString().Should().Be("user");
        created.GetProperty("email").GetString().Should().Be(email);
        created.GetProperty("name").GetString().Should().Be("New Person");
        created.GetProperty("role").GetString().Should().Be("member");
        created.GetProperty("created_at").GetInt64().Should().BeGreaterThan(0);
        created.TryGetProperty("password", out _).Should().BeFalse();
        created.TryGetProperty("password_hash", out _).Should().BeFalse();

        using var browser = new BrowserSession(factory);
        var tokens = await browser.SignInAsync("users-create", email.ToUpperInvariant(), "A-long-enough-password");
        OAuth.ReadJwtPayload(tokens.RequireAccessToken()).GetProperty("sub").GetString().Should().Be(created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Create_WithAnEmailAlreadyInTheWorkspace_Is409()
    {
        var admin = await factory.CreateMachineClientAsync("users-dup");
        var email = $"dup-{Guid.NewGuid():N}@example.com";
        (await admin.Client.PostAsJsonAsync("/v1/users", new { email, password = "A-long-enough-password", role = "member" })).EnsureSuccessStatusCode();

        var response = await admin.Client.PostAsJsonAsync("/v1/users", new { email = email.ToUpperInvariant(), password = "A-long-enough-password", role = "admin" });

        await response.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "already_exists", "email");
    }

    [Fact]
    public async Task Create_WithAnEmailUsedInAnotherWorkspace_Succeeds()
    {
        var adminA = await factory.CreateMachineClientAsync("users-iso-a");
        var adminB = await factory.CreateMachineClientAsync("users-iso-b");
        var email = $"shared-{Guid.NewGuid():N}@example.com";

        var inA = await adminA.Client.PostAsJsonAsync("/v1/users", new { email, password = "A-long-enough-password", role = "member" });
        var inB = await adminB.Client.PostAsJsonAsync("/v1/users", new { email, password = "A-long-enough-password", role = "member" });

        inA.StatusCode.Should().Be(HttpStatusCode.Created);
        inB.StatusCode.Should().Be(HttpStatusCode.Created, "a workspace learns nothing of another's users");
    }

    [Theory]
    [InlineData("""{"password": "A-long-enough-password", "role": "member"}""", "missing_required_parameter", "email")]
    [InlineData("""{"email": "not-an-email", "password": "A-long-enough-password", "role": "member"}""", "invalid_value", "email")]
    [InlineData("""{"email": "a@example.com", "role": "member"}""", "missing_required_parameter", "password")]
    [InlineData("""{"email": "a@example.com", "password": "short", "role": "member"}""", "invalid_value", "password")]
    [InlineData("""{"email": "a@example.com", "password": "A-long-enough-password"}""", "missing_required_parameter", "role")]
    [InlineData("""{"email": "a@example.com", "password": "A-long-enough-password", "role": "superuser"}""", "invalid_value", "role")]
    public async Task Create_WithBadInput_Is400NamingTheParam(string body, string code, string param)
    {
        var admin = await factory.CreateMachineClientAsync("users-create");

        var response = await admin.Client.PostAsync("/v1/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", code, param);
    }

    [Fact]
    public async Task Create_AnOwner_ByAnAdminUser_Is403_ButByAnOwnerSucceeds()
    {
        var admin = await factory.CreateUserAsync(role: "admin");
        var owner = await factory.CreateUserAsync(role: "owner");

        var byAdmin = await admin.Client.PostAsJsonAsync("/v1/users", new { email = $"o-{Guid.NewGuid():N}@example.com", password = "A-long-enough-password", role = "owner" });
        var byOwner = await owner.Client.PostAsJsonAsync("/v1/users", new { email = $"o-{Guid.NewGuid():N}@example.com", password = "A-long-enough-password", role = "owner" });
        var memberByAdmin = await admin.Client.PostAsJsonAsync("/v1/users", new { email = $"m-{Guid.NewGuid():N}@example.com", password = "A-long-enough-password", role = "member" });

        await byAdmin.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied", "role");
        byOwner.StatusCode.Should().Be(HttpStatusCode.Created);
        memberByAdmin.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersWorkspaceNewestFirst()
    {
        var admin = await factory.CreateMachineClientAsync("users-list-a");
        var mine = await factory.SeedUserAsync("users-list-a");
        var newer = await factory.SeedUserAsync("users-list-a");
        var theirs = await factory.SeedUserAsync("users-list-b");

        var list = await ReadAsync(await admin.Client.GetAsync("/v1/users?limit=100"));

        var ids = list.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetString()).ToList();
        ids.Should().ContainInOrder(newer.Id, mine.Id).And.NotContain(theirs.Id);
        list.GetProperty("has_more").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task List_WithAForgedCursor_Is400NamingAfter()
    {
        var admin = await factory.CreateMachineClientAsync();

        var response = await admin.Client.GetAsync("/v1/users?after=forged");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "after");
    }

    [Fact]
    public async Task List_ForAClientWithoutTheAdminScope_Is403InsufficientScope()
    {
        var agentsOnly = await factory.CreateMachineClientAsync(scopes: ["agents"]);

        var response = await agentsOnly.Client.GetAsync("/v1/users");

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

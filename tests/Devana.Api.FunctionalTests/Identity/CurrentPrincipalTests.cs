using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>Every authenticated request resolves to one principal, read by Application through ICurrentPrincipal; also checks the test seam.</summary>
public sealed class CurrentPrincipalTests(PrincipalProbeFactory factory) : IClassFixture<PrincipalProbeFactory>
{
    [Fact]
    public async Task MachineClient_IsAClientPrincipalOfItsWorkspaceWithItsScopes()
    {
        var caller = await factory.CreateMachineClientAsync("probe-a", ["completions", "files"]);

        var me = await WhoAmIAsync(caller);

        me.GetProperty("is_authenticated").GetBoolean().Should().BeTrue();
        me.GetProperty("workspace_id").GetString().Should().Be(caller.WorkspaceId).And.Be(await factory.GetWorkspaceIdAsync("probe-a"));
        me.GetProperty("principal_id").GetString().Should().Be(caller.PrincipalId).And.StartWith("cli_");
        me.GetProperty("kind").GetString().Should().Be("Client");
        me.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).Should().Equal("completions", "files");
        me.GetProperty("is_workspace_admin").GetBoolean().Should().BeFalse("it lacks the admin scope");
    }

    [Fact]
    public async Task MachineClientWithTheAdminScope_IsAWorkspaceAdmin()
    {
        var caller = await factory.CreateMachineClientAsync();

        var me = await WhoAmIAsync(caller);

        me.GetProperty("is_workspace_admin").GetBoolean().Should().BeTrue();
        me.GetProperty("workspace_id").GetString().Should().Be(await factory.GetWorkspaceIdAsync(DevanaApiFactory.DefaultWorkspace));
    }

    [Theory]
    [InlineData("member", false)]
    [InlineData("admin", true)]
    [InlineData("owner", true)]
    public async Task User_IsAUserPrincipalWhoseRoleDecidesAdmin(string role, bool admin)
    {
        var caller = await factory.CreateUserAsync("probe-b", role, ["completions"]);

        var me = await WhoAmIAsync(caller);

        me.GetProperty("principal_id").GetString().Should().Be(caller.PrincipalId).And.StartWith("usr_");
        me.GetProperty("workspace_id").GetString().Should().Be(caller.WorkspaceId);
        me.GetProperty("kind").GetString().Should().Be("User");
        // The OpenID Connect scopes the login asked for are there too; of the API scopes, only the one asked for.
        me.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()).Intersect(Devana.Application.Common.Security.Scopes.All).Should().Equal("completions");
        me.GetProperty("is_workspace_admin").GetBoolean().Should().Be(admin);
    }

    [Fact]
    public async Task Seam_EachCallCreatesANewPrincipal_AndWorkspacesAreCreatedOncePerName()
    {
        var first = await factory.CreateUserAsync("probe-c");
        var second = await factory.CreateUserAsync("probe-c");
        var machine = await factory.CreateMachineClientAsync("probe-c");

        first.PrincipalId.Should().NotBe(second.PrincipalId);
        first.WorkspaceId.Should().Be(second.WorkspaceId).And.Be(machine.WorkspaceId);
        first.WorkspaceId.Should().NotBe(await factory.GetWorkspaceIdAsync(DevanaApiFactory.DefaultWorkspace));
    }

    private static async Task<JsonElement> WhoAmIAsync(TestCaller caller)
    {
        var response = await caller.Client.GetAsync("/test/identity/whoami");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}

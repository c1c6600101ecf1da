using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

/// <summary>
/// Who sees and changes what: other workspaces' agents are 404; in the same workspace, a private agent
/// of someone else is 403 <c>access_denied</c>; only the owner or a workspace admin changes an agent.
/// </summary>
public sealed class AgentsAccessTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private async Task<(TestCaller Owner, TestCaller Member, TestCaller Admin, string Workspace)> WorkspaceAsync()
    {
        var workspace = AgentsApi.NewWorkspace();
        return (await factory.CreateUserAsync(workspace), await factory.CreateUserAsync(workspace), await factory.CreateUserAsync(workspace, "admin"), workspace);
    }

    [Fact]
    public async Task AgentOfAnotherWorkspace_Is404OnEveryEndpoint()
    {
        var owner = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var stranger = await factory.CreateUserAsync(AgentsApi.NewWorkspace(), "owner");
        var agent = await owner.CreateAgentAsync(visibility: "workspace");
        var path = $"/v1/agents/{agent.Id()}";

        await (await stranger.Client.GetAsync(path)).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await stranger.Client.PatchJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await stranger.Client.PutJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await stranger.Client.DeleteAsync(path)).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await stranger.Client.GetAsync($"/v1/models/{agent.Id()}")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
        (await (await stranger.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().BeEmpty();
        (await (await stranger.Client.GetAsync("/v1/models")).ReadJsonAsync()).Ids().Should().BeEmpty();
    }

    [Fact]
    public async Task PrivateAgentOfAnotherMember_Is403AccessDeniedOnEveryEndpoint()
    {
        var (owner, member, _, _) = await WorkspaceAsync();
        var agent = await owner.CreateAgentAsync(visibility: "private");
        var path = $"/v1/agents/{agent.Id()}";

        await (await member.Client.GetAsync(path)).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.PatchJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.PutJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.DeleteAsync(path)).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.GetAsync($"/v1/models/{agent.Id()}")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        (await (await member.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().NotContain(agent.Id());
        (await (await owner.Client.GetAsync(path)).ReadJsonAsync()).GetProperty("name").GetString().Should().Be("Agent", "nothing changed");
    }

    [Fact]
    public async Task SharedAgentOfAnotherMember_CanBeReadAndUsedButNotChanged()
    {
        var (owner, member, _, _) = await WorkspaceAsync();
        var agent = await owner.CreateAgentAsync(visibility: "workspace");
        var path = $"/v1/agents/{agent.Id()}";

        (await (await member.Client.GetAsync(path)).ReadJsonAsync()).Id().Should().Be(agent.Id());
        (await (await member.Client.GetAsync($"/v1/models/{agent.Id()}")).ReadJsonAsync()).Id().Should().Be(agent.Id());
        (await (await member.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().Contain(agent.Id());
        await (await member.Client.PatchJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.PutJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await (await member.Client.DeleteAsync(path)).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }

    [Fact]
    public async Task MemberWithInvalidPatchOnAnotherMembersAgent_GetsTheAccessErrorNotTheRuleError()
    {
        var (owner, member, _, _) = await WorkspaceAsync();
        var agent = await owner.CreateAgentAsync(visibility: "workspace");

        var response = await member.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"lang": "zz"}""");

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("owner")]
    public async Task WorkspaceAdmin_ChangesAndDeletesAnotherMembersPrivateAgent(string role)
    {
        var workspace = AgentsApi.NewWorkspace();
        var owner = await factory.CreateUserAsync(workspace);
        var admin = await factory.CreateUserAsync(workspace, role);
        var agent = await owner.CreateAgentAsync(visibility: "private");
        var path = $"/v1/agents/{agent.Id()}";

        (await (await admin.Client.GetAsync(path)).ReadJsonAsync()).Id().Should().Be(agent.Id());
        (await (await admin.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().Contain(agent.Id());
        var patched = await (await admin.Client.PatchJsonAsync(path, """{"name": "Moderated"}""")).ReadJsonAsync();
        patched.GetProperty("name").GetString().Should().Be("Moderated");
        patched.GetProperty("owner_id").GetString().Should().Be(owner.PrincipalId, "the owner stays the owner");
        (await (await admin.Client.PutJsonAsync(path, """{"name": "Replaced"}""")).ReadJsonAsync()).GetProperty("name").GetString().Should().Be("Replaced");
        (await admin.Client.DeleteAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await owner.Client.GetAsync(path)).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
    }

    [Fact]
    public async Task WorkspaceAdmin_CannotUseAnotherMembersPrivateAgentAsAModel()
    {
        var (owner, _, admin, _) = await WorkspaceAsync();
        var agent = await owner.CreateAgentAsync(visibility: "private");

        await (await admin.Client.GetAsync($"/v1/models/{agent.Id()}")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        (await (await admin.Client.GetAsync("/v1/models")).ReadJsonAsync()).Ids().Should().NotContain(agent.Id());
    }

    [Fact]
    public async Task MachineClient_WithAdminScope_ChangesOthersAgents_WithoutIt_DoesNot()
    {
        var workspace = AgentsApi.NewWorkspace();
        var owner = await factory.CreateUserAsync(workspace);
        var adminClient = await factory.CreateMachineClientAsync(workspace);
        var plainClient = await factory.CreateMachineClientAsync(workspace, ["agents", "completions"]);
        var agent = await owner.CreateAgentAsync(visibility: "workspace");
        var path = $"/v1/agents/{agent.Id()}";

        await (await plainClient.Client.PatchJsonAsync(path, """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        (await (await adminClient.Client.PatchJsonAsync(path, """{"name": "By machine"}""")).ReadJsonAsync()).GetProperty("name").GetString().Should().Be("By machine");
    }

    [Fact]
    public async Task MachineClient_OwnsTheAgentsItCreates()
    {
        var client = await factory.CreateMachineClientAsync(AgentsApi.NewWorkspace(), ["agents"]);

        var agent = await client.CreateAgentAsync();

        agent.GetProperty("owner_id").GetString().Should().Be(client.PrincipalId).And.StartWith("cli_");
        (await client.Client.DeleteAsync($"/v1/agents/{agent.Id()}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_ShowsOwnAndSharedAgentsToMembersAndEverythingToAdmins()
    {
        var (owner, member, admin, _) = await WorkspaceAsync();
        var ownersPrivate = await owner.CreateAgentAsync(visibility: "private");
        var ownersShared = await owner.CreateAgentAsync(visibility: "workspace");
        var membersPrivate = await member.CreateAgentAsync(visibility: "private");

        (await (await member.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().BeEquivalentTo([ownersShared.Id(), membersPrivate.Id()]);
        (await (await admin.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().BeEquivalentTo([ownersPrivate.Id(), ownersShared.Id(), membersPrivate.Id()]);
        (await (await member.Client.GetAsync("/v1/models")).ReadJsonAsync()).Ids().Should().BeEquivalentTo([ownersShared.Id(), membersPrivate.Id()]);
    }
}

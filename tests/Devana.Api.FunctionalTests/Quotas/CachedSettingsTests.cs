using System.Net;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>
/// Completions read the agent and the quotas through a short cache (Devana:Cache:SettingsSeconds). A change
/// made on this host must apply to the very next completion, cached or not.
/// </summary>
public sealed class CachedSettingsTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    private async Task<(TestCaller Admin, TestCaller User, string AgentId)> WorkspaceAsync()
    {
        var workspace = Agents.AgentsApi.NewWorkspace();
        var admin = await factory.CreateUserAsync(workspace, role: "admin");
        var user = await factory.CreateUserAsync(workspace);
        var agentId = await admin.CreateAgentAsync(new { name = "Cached", model = "echo", visibility = "workspace" });
        var first = await user.CompleteAsync(Ask(agentId));
        first.StatusCode.Should().Be(HttpStatusCode.OK, "this completion puts the agent and the quotas in the cache");
        return (admin, user, agentId);
    }

    [Fact]
    public async Task QuotaSetAfterACompletion_AppliesToTheNextOne()
    {
        var (admin, user, agentId) = await WorkspaceAsync();

        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_day = 1 });
        var refused = await user.CompleteAsync(Ask(agentId));

        await refused.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");
    }

    [Fact]
    public async Task AgentDeletedAfterACompletion_IsGoneForTheNextOne()
    {
        var (admin, user, agentId) = await WorkspaceAsync();

        (await admin.Client.DeleteAsync($"/v1/agents/{agentId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var response = await user.CompleteAsync(Ask(agentId));

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
    }

    [Fact]
    public async Task AgentMadePrivateAfterACompletion_IsDeniedToOthersAtOnce()
    {
        var (admin, user, agentId) = await WorkspaceAsync();

        (await Agents.AgentsApi.PatchJsonAsync(admin.Client, $"/v1/agents/{agentId}", """{"visibility": "private"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        var response = await user.CompleteAsync(Ask(agentId));

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }
}

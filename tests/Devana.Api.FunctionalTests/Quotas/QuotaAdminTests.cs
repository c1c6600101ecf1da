using System.Net;
using System.Net.Http.Json;
using System.Text;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Common.Security;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>The admin endpoints: who may call them, what they accept, what they return.</summary>
public sealed class QuotaAdminTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    [Fact]
    public async Task PutThenList_ShowsEachStoredQuota_NewestFirst_WithTheDefaults()
    {
        var admin = await factory.CreateUserAsync("admin-list", role: "admin");
        var client = await factory.CreateMachineClientAsync("admin-list", [Scopes.Completions]);
        var agentId = await admin.CreateAgentAsync(new { name = "Limited" });

        var workspace = await admin.PutQuotaOkAsync("/v1/quotas/workspace", new { requests_per_minute = 60, tokens_per_month = 1_000_000 });
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{client.PrincipalId}", new { requests_per_day = 100 });
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var agent = await admin.PutQuotaOkAsync($"/v1/quotas/agents/{agentId}", new { tokens_per_day = 5000, requests_per_day = 0 });

        workspace.GetProperty("object").GetString().Should().Be("quota");
        workspace.GetProperty("level").GetString().Should().Be("workspace");
        workspace.GetProperty("id").GetString().Should().Be(admin.WorkspaceId);
        workspace.GetProperty("requests_per_minute").GetInt64().Should().Be(60);
        workspace.GetProperty("requests_per_day").GetInt64().Should().Be(0, "an absent limit is no limit");
        agent.GetProperty("tokens_per_day").GetInt64().Should().Be(5000);

        var list = await admin.GetOkAsync("/v1/quotas?limit=2");
        list.GetProperty("object").GetString().Should().Be("list");
        list.GetProperty("data").EnumerateArray().Select(q => q.GetProperty("level").GetString()).Should().Equal("agent", "principal");
        list.GetProperty("has_more").GetBoolean().Should().BeTrue();
        list.GetProperty("defaults").GetProperty("tokens_per_month").GetInt64().Should().Be(QuotasFactory.DefaultTokensPerMonth);
        var next = await admin.GetOkAsync($"/v1/quotas?limit=2&after={list.GetProperty("next_cursor").GetString()}");
        next.GetProperty("data").EnumerateArray().Select(q => q.GetProperty("id").GetString()).Should().Equal(admin.WorkspaceId);
        next.GetProperty("has_more").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Put_Again_ReplacesEveryLimit()
    {
        var admin = await factory.CreateUserAsync("admin-replace", role: "owner");
        var user = await factory.CreateUserAsync("admin-replace");
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_minute = 5, tokens_per_day = 10 });

        var replaced = await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_day = 3 });

        replaced.GetProperty("requests_per_minute").GetInt64().Should().Be(0);
        replaced.GetProperty("tokens_per_day").GetInt64().Should().Be(0);
        replaced.GetProperty("requests_per_day").GetInt64().Should().Be(3);
        (await admin.GetOkAsync("/v1/quotas")).GetProperty("data").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task AdminClient_WithTheAdminScope_MaySetQuotas()
    {
        var client = await factory.CreateMachineClientAsync("admin-client", [Scopes.Admin]);

        var quota = await client.PutQuotaOkAsync("/v1/quotas/workspace", new { requests_per_day = 1000 });

        quota.GetProperty("requests_per_day").GetInt64().Should().Be(1000);
    }

    [Theory]
    [InlineData("GET", "/v1/quotas")]
    [InlineData("PUT", "/v1/quotas/workspace")]
    [InlineData("PUT", "/v1/quotas/principals/usr_someone")]
    [InlineData("PUT", "/v1/quotas/agents/some-agent")]
    [InlineData("GET", "/v1/usage/report")]
    public async Task Member_WithTheAdminScope_Is403AccessDenied(string method, string path)
    {
        var member = await factory.CreateUserAsync("admin-denied", role: "member", scopes: Scopes.All);

        var response = await member.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "PUT" ? JsonContent.Create(new { requests_per_minute = -1 }) : null,
        });

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }

    [Fact]
    public async Task Admin_WithoutTheAdminScope_Is403InsufficientScope()
    {
        var admin = await factory.CreateUserAsync("admin-scope", role: "admin", scopes: [Scopes.Completions, Scopes.Agents]);

        var response = await admin.Client.GetAsync("/v1/quotas");

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
    }

    [Fact]
    public async Task Usage_WithoutTheCompletionsScope_Is403InsufficientScope()
    {
        var client = await factory.CreateMachineClientAsync("usage-scope", [Scopes.Agents]);

        var response = await client.Client.GetAsync("/v1/usage");

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
    }

    [Theory]
    [InlineData("""{"requests_per_minute": -1}""", "requests_per_minute")]
    [InlineData("""{"tokens_per_month": -5}""", "tokens_per_month")]
    [InlineData("""{"requests_per_day": 1.5}""", "requests_per_day")]
    [InlineData("""{"tokens_per_day": "10"}""", "tokens_per_day")]
    [InlineData("""{"tokens_per_day": 1e40}""", "tokens_per_day")]
    public async Task Put_BadLimit_Is400NamingIt(string body, string param)
    {
        var admin = await factory.CreateUserAsync("admin-bad", role: "admin");

        var response = await admin.Client.PutAsync("/v1/quotas/workspace", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
    }

    [Fact]
    public async Task Put_AgentOfAnotherWorkspace_Is404()
    {
        var stranger = await factory.CreateUserAsync("admin-other-ws", role: "admin");
        var foreignAgent = await stranger.CreateAgentAsync(new { name = "Theirs" });
        var admin = await factory.CreateUserAsync("admin-404", role: "admin");

        var foreign = await admin.Client.PutAsJsonAsync($"/v1/quotas/agents/{foreignAgent}", new { requests_per_day = 1 });
        var unknown = await admin.Client.PutAsJsonAsync("/v1/quotas/agents/no-such-agent", new { requests_per_day = 1 });

        await foreign.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await unknown.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
    }

    [Theory]
    [InlineData("agt_notaprincipal")]
    [InlineData("someone")]
    public async Task Put_PrincipalIdThatIsNoUserOrClientId_Is404(string id)
    {
        var admin = await factory.CreateUserAsync("admin-principal", role: "admin");

        var response = await admin.Client.PutAsJsonAsync($"/v1/quotas/principals/{id}", new { requests_per_day = 1 });

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "not_found");
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=1764000000", "to")]
    [InlineData("group_by=model", "group_by")]
    [InlineData("from=2026-11-20&to=2026-11-10", "to")]
    public async Task Report_BadQuery_Is400NamingTheParameter(string query, string param)
    {
        var admin = await factory.CreateUserAsync("admin-report-bad", role: "admin");

        var response = await admin.Client.GetAsync($"/v1/usage/report?{query}");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>Quotas through the whole HTTP pipeline, on a real SQLite file, with a fake clock.</summary>
public sealed class QuotaEnforcementTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    private async Task<(TestCaller Admin, TestCaller User, string AgentId)> WorkspaceAsync(string workspace, string model = "echo")
    {
        var admin = await factory.CreateUserAsync(workspace, role: "admin");
        var user = await factory.CreateUserAsync(workspace);
        var agentId = await admin.CreateAgentAsync(new { name = "Shared", model, visibility = "workspace" });
        return (admin, user, agentId);
    }

    [Fact]
    public async Task FiveRequestsPerMinute_TheSixthIs403_AndAfterTheMinuteRequestsPassAgain()
    {
        var (admin, user, agentId) = await WorkspaceAsync("rpm");
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_minute = 5 });

        for (var i = 0; i < 5; i++)
        {
            var ok = await user.CompleteAsync(Ask(agentId));
            ok.StatusCode.Should().Be(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
            Header(ok, "x-ratelimit-limit-requests").Should().Be("5");
            Header(ok, "x-ratelimit-remaining-requests").Should().Be((4 - i).ToString(CultureInfo.InvariantCulture));
            Header(ok, "x-ratelimit-reset-requests").Should().Be("58s", "the clock stands 2 s into the minute");
        }

        var refused = await user.CompleteAsync(Ask(agentId));

        var error = await refused.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");
        var resetsAt = StartOfMinute(factory.Clock.GetUtcNow()).AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        error.GetProperty("message").GetString().Should()
            .Contain("requests_per_minute").And.Contain("principal").And.Contain(user.PrincipalId).And.Contain(resetsAt);
        (await user.GetOkAsync("/v1/conversations")).GetProperty("data").GetArrayLength().Should().Be(5, "a refused request stores nothing");

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await user.CompleteAsync(Ask(agentId));

        again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Header(again, "x-ratelimit-remaining-requests").Should().Be("4");
    }

    [Fact]
    public async Task FiftyConcurrentRequests_AgainstTenRequestsPerDay_AdmitExactlyTen()
    {
        var (admin, user, agentId) = await WorkspaceAsync("rpd");
        await admin.PutQuotaOkAsync("/v1/quotas/workspace", new { requests_per_day = 10 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => user.CompleteAsync(Ask(agentId, $"question {i}")))));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(10);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await refused.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");
        }

        var usage = await user.GetOkAsync("/v1/usage");
        Counter(usage, "workspace", "requests_per_day").GetProperty("used").GetInt64().Should().Be(10);
        await using var scope = factory.CreateDatabaseScope(out var db);
        (await db.UsageRecords.CountAsync(r => r.WorkspaceId == user.WorkspaceId)).Should().Be(10);
    }

    [Fact]
    public async Task ConcurrentStreamingRequests_NeverGoOverTheTokenLimit()
    {
        const long Limit = 600;
        var (admin, user, agentId) = await WorkspaceAsync("tokens");
        await admin.PutQuotaOkAsync($"/v1/quotas/agents/{agentId}", new { tokens_per_day = Limit });

        async Task<(HttpStatusCode Status, string? LimitHeader)> StreamAsync(int i)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent(Ask(agentId, $"please repeat after me the words number {i} and some more words to fill the answer", stream: true, maxTokens: 40)),
            };
            using var response = await user.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");
                return (response.StatusCode, null);
            }

            var (data, _) = await CompletionTestKit.ReadSseAsync(response);
            data[^1].Should().Be("[DONE]");
            return (response.StatusCode, Header(response, "x-ratelimit-limit-tokens"));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => StreamAsync(i))));

        var admitted = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
        admitted.Should().NotBeEmpty();
        results.Should().Contain(r => r.Status == HttpStatusCode.Forbidden, "20 reservations of ~70 tokens cannot fit in 600");
        admitted.Should().OnlyContain(r => r.LimitHeader == "600");

        await using var scope = factory.CreateDatabaseScope(out var db);
        var ledger = await db.UsageRecords.Where(r => r.AgentId == agentId).ToListAsync();
        var used = Counter(await user.GetOkAsync("/v1/usage"), "agent", "tokens_per_day").GetProperty("used").GetInt64();
        ledger.Should().HaveCount(admitted.Count);
        ledger.Sum(r => r.PromptTokens + r.CompletionTokens).Should().Be(used, "every stream settled its reservation to what it used")
            .And.BeLessThanOrEqualTo(Limit);
    }

    [Fact]
    public async Task FailedCall_BeforeAnyOutput_RefundsItsTokens_ButTheRequestCounts()
    {
        var (admin, user, agentId) = await WorkspaceAsync("refund", model: "fake-large");
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_day = 100, tokens_per_day = 100_000 });

        var failed = await user.CompleteAsync(Ask(agentId));

        await failed.ShouldBeErrorAsync(HttpStatusCode.BadGateway, "upstream_error");
        var usage = await user.GetOkAsync("/v1/usage");
        Counter(usage, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(1);
        Counter(usage, "principal", "tokens_per_day").GetProperty("used").GetInt64().Should().Be(0);
        await using var scope = factory.CreateDatabaseScope(out var db);
        var record = await db.UsageRecords.SingleAsync(r => r.PrincipalId == user.PrincipalId);
        record.Outcome.Should().Be(Domain.Usage.UsageOutcome.Failed);
        record.TotalTokens.Should().Be(0);
    }

    [Fact]
    public async Task TokensPerDay_SettlesToWhatWasUsed_AndHeadersReportTheTightestLimit()
    {
        var (admin, user, agentId) = await WorkspaceAsync("settle");
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { tokens_per_day = 5000 });

        var response = await user.CompleteAsync(Ask(agentId, "count these words", maxTokens: 500));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var total = body.GetProperty("usage").GetProperty("total_tokens").GetInt64();
        Header(response, "x-ratelimit-limit-tokens").Should().Be("5000", "the principal's 5000 a day is tighter than the default 100M a month");
        var remaining = long.Parse(Header(response, "x-ratelimit-remaining-tokens")!, CultureInfo.InvariantCulture);
        remaining.Should().BeLessThan(5000 - 500, "at admission the whole max_tokens is reserved");
        Header(response, "x-ratelimit-reset-tokens").Should().MatchRegex(@"^\d+h\d+m\d+s$");
        Header(response, "x-ratelimit-limit-requests").Should().BeNull("no request limit applies");

        var used = Counter(await user.GetOkAsync("/v1/usage"), "principal", "tokens_per_day").GetProperty("used").GetInt64();
        used.Should().Be(total, "the reservation was settled to the real usage");
    }

    [Fact]
    public async Task TokensPerMonth_ARequestBiggerThanTheLimit_IsRefusedAndSaysWhy()
    {
        var (admin, user, agentId) = await WorkspaceAsync("huge");
        await admin.PutQuotaOkAsync("/v1/quotas/workspace", new { tokens_per_month = 100 });

        var response = await user.CompleteAsync(Ask(agentId, maxTokens: 200));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");
        error.GetProperty("message").GetString().Should().Contain("tokens_per_month").And.Contain("workspace").And.Contain("max_tokens");
    }

    [Fact]
    public async Task Usage_ShowsEachLevelThatAppliesToTheCaller()
    {
        var (admin, user, agentId) = await WorkspaceAsync("usage");
        await admin.PutQuotaOkAsync($"/v1/quotas/agents/{agentId}", new { requests_per_day = 7 });
        (await user.CompleteAsync(Ask(agentId))).EnsureSuccessStatusCode();

        var usage = await user.GetOkAsync("/v1/usage");

        usage.GetProperty("object").GetString().Should().Be("usage");
        usage.GetProperty("principal_id").GetString().Should().Be(user.PrincipalId);
        usage.GetProperty("levels").EnumerateArray().Select(l => (l.GetProperty("level").GetString(), l.GetProperty("id").GetString()))
            .Should().Equal(("workspace", user.WorkspaceId), ("principal", user.PrincipalId), ("agent", agentId));
        var agentRequests = Counter(usage, "agent", "requests_per_day");
        agentRequests.GetProperty("limit").GetInt64().Should().Be(7);
        agentRequests.GetProperty("used").GetInt64().Should().Be(1);
        agentRequests.GetProperty("remaining").GetInt64().Should().Be(6);
        agentRequests.GetProperty("resets_at").GetInt64().Should().Be(new DateTimeOffset(factory.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero).ToUnixTimeSeconds());
        var unlimited = Counter(usage, "principal", "requests_per_minute");
        unlimited.GetProperty("limit").GetInt64().Should().Be(0);
        unlimited.GetProperty("remaining").ValueKind.Should().Be(JsonValueKind.Null);
        Counter(usage, "workspace", "tokens_per_month").GetProperty("limit").GetInt64().Should().Be(QuotasFactory.DefaultTokensPerMonth, "the configured default applies");
    }

    private static DateTimeOffset StartOfMinute(DateTimeOffset now) => new(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);
}

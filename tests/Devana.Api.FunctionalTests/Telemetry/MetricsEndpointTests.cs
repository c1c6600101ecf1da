using System.Net;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> after real completions: Devana's instruments move with the right labels. Every
/// test reads the series of an agent of its own (the host may hold other series).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests(TelemetryFactory factory) : IClassFixture<TelemetryFactory>
{
    private const string Completions = "devana_completions_total";
    private const string TimeToFirstTokenCount = "devana_completion_time_to_first_token_seconds_count";
    private const string TimeToFirstTokenBucket = "devana_completion_time_to_first_token_seconds_bucket";
    private const string Tokens = "devana_tokens_total";
    private const string ActiveStreams = "devana_streams_active";
    private const string Refusals = "devana_quota_refusals_total";
    private const string Retries = "devana_upstream_retries_total";

    private async Task<(TestCaller Caller, string AgentId)> AgentAsync(string model = "echo")
    {
        var caller = await factory.CreateMachineClientAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Metered", model });
        return (caller, agentId);
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var client = factory.CreateClient();
        return await PrometheusScrape.ReadAsync(client);
    }

    [Fact]
    public async Task PlainCompletion_CountsTheCompletion_ItsTimeToFirstToken_AndItsTokensByPrincipal()
    {
        var (caller, agentId) = await AgentAsync();

        var answer = await caller.CompleteOkAsync(Ask(agentId, "count me"));

        var scrape = await ScrapeAsync();
        scrape.Sum(Completions, ("agent", agentId), ("llm", "echo"), ("status", "completed"), ("stream", "false")).Should().Be(1, scrape.Text);
        scrape.Sum(Completions, ("agent", agentId)).Should().Be(1, "nothing else was counted for this agent");
        scrape.Sum(TimeToFirstTokenCount, ("agent", agentId), ("llm", "echo"), ("stream", "false")).Should().Be(1);
        scrape.Matching(TimeToFirstTokenBucket, ("agent", agentId), ("le", "+Inf")).Single().Value.Should().Be(1);
        var usage = answer.GetProperty("usage");
        scrape.Sum(Tokens, ("principal", caller.PrincipalId), ("agent", agentId), ("llm", "echo"), ("type", "input"))
            .Should().Be(usage.GetProperty("prompt_tokens").GetInt32());
        scrape.Sum(Tokens, ("principal", caller.PrincipalId), ("agent", agentId), ("type", "output"))
            .Should().Be(usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamedCompletion_IsCountedAsStreamed_AndLeavesNoStreamOpen()
    {
        var (caller, agentId) = await AgentAsync();

        var response = await caller.CompleteAsync(Ask(agentId, "stream me", stream: true));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        data.Last().Should().Be("[DONE]");

        var scrape = await ScrapeAsync();
        scrape.Sum(Completions, ("agent", agentId), ("status", "completed"), ("stream", "true")).Should().Be(1, scrape.Text);
        scrape.Sum(Completions, ("agent", agentId), ("stream", "false")).Should().Be(0);
        scrape.Sum(TimeToFirstTokenCount, ("agent", agentId), ("stream", "true")).Should().Be(1);
        scrape.Matching(ActiveStreams, ("agent", agentId)).Should().ContainSingle().Which.Value.Should().Be(0, "the stream was counted open, then closed");
        scrape.Sum(Tokens, ("principal", caller.PrincipalId), ("agent", agentId), ("type", "output")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task QuotaRefusal_IsCountedByLevelAndLimit_AndIsNotACompletion()
    {
        var admin = await factory.CreateUserAsync("metered-quota", role: "admin");
        var user = await factory.CreateUserAsync("metered-quota");
        var agentId = await admin.CreateAgentAsync(new { name = "Limited", model = "echo", visibility = "workspace" });
        await admin.PutQuotaOkAsync($"/v1/quotas/principals/{user.PrincipalId}", new { requests_per_day = 1 });
        var before = (await ScrapeAsync()).Sum(Refusals, ("level", "principal"), ("limit", "requests_per_day"));

        (await user.CompleteAsync(Ask(agentId))).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await user.CompleteAsync(Ask(agentId));
        await refused.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "quota_exceeded");

        var scrape = await ScrapeAsync();
        scrape.Sum(Refusals, ("level", "principal"), ("limit", "requests_per_day")).Should().BeGreaterThanOrEqualTo(before + 1, scrape.Text);
        scrape.Sum(Completions, ("agent", agentId)).Should().Be(1, "the refused request never reached the LLM");
    }

    [Fact]
    public async Task FailedUpstream_IsCountedAsFailed_WithItsRetry()
    {
        var (caller, agentId) = await AgentAsync("fake-large");
        factory.Upstream.Behavior = _ => new FakeReply([], Status: 503);
        var retriesBefore = (await ScrapeAsync()).Sum(Retries, ("reason", "503"));

        var response = await caller.CompleteAsync(Ask(agentId, "fail me"));

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway, await response.Content.ReadAsStringAsync());
        var scrape = await ScrapeAsync();
        scrape.Sum(Completions, ("agent", agentId), ("llm", "fake-large"), ("status", "failed"), ("stream", "false")).Should().Be(1, scrape.Text);
        scrape.Sum(TimeToFirstTokenCount, ("agent", agentId)).Should().Be(0, "no token came");
        scrape.Sum(Retries, ("reason", "503")).Should().BeGreaterThanOrEqualTo(retriesBefore + 1);
    }

    [Fact]
    public async Task Scrape_NamesTheGenAiMetrics_OfAnUpstreamCall()
    {
        var (caller, agentId) = await AgentAsync("fake-large");
        factory.Upstream.Behavior = FakeOpenAiUpstream.DefaultBehavior;

        await caller.CompleteOkAsync(Ask(agentId, "measure the upstream"));

        var scrape = await ScrapeAsync();
        scrape.Matching("gen_ai_client_token_usage_count", ("gen_ai_token_type", "input"), ("gen_ai_request_model", "gpt-fake-upstream")).Should().NotBeEmpty(scrape.Text);
        scrape.Matching("gen_ai_client_operation_duration_seconds_count", ("gen_ai_request_model", "gpt-fake-upstream")).Should().NotBeEmpty(scrape.Text);
        scrape.Text.Should().NotContain("measure the upstream", "metrics never carry message text");
    }
}

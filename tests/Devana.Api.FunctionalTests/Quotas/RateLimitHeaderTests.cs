using System.Net;
using Devana.Api.FunctionalTests.Completions;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

/// <summary>The completions host with no default limits: no limit applies, so no <c>x-ratelimit-*</c> header is sent.</summary>
public sealed class RateLimitHeaderTests(CompletionsFactory factory) : IClassFixture<CompletionsFactory>
{
    [Fact]
    public async Task Completion_WithNoLimitApplying_HasNoRateLimitHeaders()
    {
        var user = await factory.CreateUserAsync("no-limits");
        var agentId = await user.CreateAgentAsync(new { name = "Echo", model = "echo" });

        var whole = await user.CompleteAsync(Ask(agentId));
        var streamed = await user.CompleteAsync(Ask(agentId, stream: true));

        whole.StatusCode.Should().Be(HttpStatusCode.OK);
        streamed.StatusCode.Should().Be(HttpStatusCode.OK);
        whole.Headers.Concat(streamed.Headers).Select(h => h.Key).Should().NotContain(name => name.StartsWith("x-ratelimit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task StreamedCompletion_CarriesTheHeaders()
    {
        var admin = await factory.CreateUserAsync("sse-limits", role: "admin");
        var agentId = await admin.CreateAgentAsync(new { name = "Echo", model = "echo" });
        await admin.PutQuotaOkAsync("/v1/quotas/workspace", new { requests_per_day = 50, tokens_per_month = 100_000 });

        var streamed = await admin.CompleteAsync(Ask(agentId, stream: true));

        streamed.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        Header(streamed, "x-ratelimit-limit-requests").Should().Be("50");
        Header(streamed, "x-ratelimit-remaining-requests").Should().Be("49");
        Header(streamed, "x-ratelimit-reset-requests").Should().MatchRegex(@"^(\d+h)?(\d+m)?\d+s$");
        Header(streamed, "x-ratelimit-limit-tokens").Should().Be("100000");
        Header(streamed, "x-ratelimit-remaining-tokens").Should().NotBeNull();
        Header(streamed, "x-ratelimit-reset-tokens").Should().MatchRegex(@"^\d+h\d+m\d+s$");
    }
}

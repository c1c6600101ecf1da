using System.Globalization;
using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Microsoft.EntityFrameworkCore;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Quotas;

public sealed class UsageReportTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    [Theory]
    [InlineData("principal")]
    [InlineData("agent")]
    [InlineData("llm")]
    public async Task Report_SumsEqualTheLedger(string groupBy)
    {
        var workspace = $"report-{groupBy}";
        var admin = await factory.CreateUserAsync(workspace, role: "admin");
        var alice = await factory.CreateUserAsync(workspace);
        var bob = await factory.CreateMachineClientAsync(workspace);
        var echo = await admin.CreateAgentAsync(new { name = "Echo", model = "echo", visibility = "workspace", allowed_models = new[] { "echo", "fake-large" } });
        var broken = await admin.CreateAgentAsync(new { name = "Broken", model = "fake-large", visibility = "workspace" });
        (await alice.CompleteAsync(Ask(echo, "one two three"))).EnsureSuccessStatusCode();
        (await alice.CompleteAsync(Ask(echo, "four", stream: true))).EnsureSuccessStatusCode();
        (await bob.CompleteAsync(Ask(echo, "five six"))).EnsureSuccessStatusCode();
        var withN = Ask(echo, "seven");
        withN["n"] = 3;
        (await bob.CompleteAsync(withN)).EnsureSuccessStatusCode();
        (await alice.CompleteAsync(Ask(broken))).StatusCode.Should().Be(HttpStatusCode.BadGateway);
        var today = factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var report = await admin.GetOkAsync($"/v1/usage/report?from={today}&to={today}&group_by={groupBy}");

        await using var scope = factory.CreateDatabaseScope(out var db);
        var ledger = await db.UsageRecords.AsNoTracking().Where(r => r.WorkspaceId == admin.WorkspaceId).ToListAsync();
        ledger.Should().HaveCount(5);
        var expected = ledger
            .GroupBy(r => groupBy switch { "agent" => r.AgentId, "llm" => r.LlmId, _ => r.PrincipalId })
            .ToDictionary(g => g.Key, g => (Requests: (long)g.Count(), Prompt: g.Sum(r => r.PromptTokens), Completion: g.Sum(r => r.CompletionTokens)));
        report.GetProperty("object").GetString().Should().Be("usage_report");
        report.GetProperty("group_by").GetString().Should().Be(groupBy);
        var rows = report.GetProperty("data").EnumerateArray().ToList();
        rows.Should().HaveCount(expected.Count);
        foreach (var row in rows)
        {
            var (requests, prompt, completion) = expected[row.GetProperty("group").GetString()!];
            row.GetProperty("requests").GetInt64().Should().Be(requests);
            row.GetProperty("prompt_tokens").GetInt64().Should().Be(prompt);
            row.GetProperty("completion_tokens").GetInt64().Should().Be(completion);
            row.GetProperty("total_tokens").GetInt64().Should().Be(prompt + completion);
        }

        var total = report.GetProperty("total");
        total.GetProperty("requests").GetInt64().Should().Be(5);
        total.GetProperty("total_tokens").GetInt64().Should().Be(ledger.Sum(r => r.PromptTokens + r.CompletionTokens)).And.BePositive();
    }

    [Fact]
    public async Task Report_LeavesOutDaysOutsideTheRange_AndOtherWorkspaces()
    {
        var admin = await factory.CreateUserAsync("report-range", role: "admin");
        var agent = await admin.CreateAgentAsync(new { name = "Echo" });
        var stranger = await factory.CreateUserAsync("report-range-other", role: "admin");
        var strangerAgent = await stranger.CreateAgentAsync(new { name = "Echo" });
        (await admin.CompleteAsync(Ask(agent))).EnsureSuccessStatusCode();
        (await stranger.CompleteAsync(Ask(strangerAgent))).EnsureSuccessStatusCode();
        var day = factory.Clock.GetUtcNow().UtcDateTime.Date;

        JsonElement Total(JsonElement report) => report.GetProperty("total");
        var yesterday = await admin.GetOkAsync($"/v1/usage/report?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(-1):yyyy-MM-dd}");
        var todayOnly = await admin.GetOkAsync($"/v1/usage/report?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        var defaults = await admin.GetOkAsync("/v1/usage/report");

        Total(yesterday).GetProperty("requests").GetInt64().Should().Be(0);
        Total(todayOnly).GetProperty("requests").GetInt64().Should().Be(1, "the other workspace's request is not this workspace's");
        defaults.GetProperty("from").GetString().Should().Be($"{day:yyyy-MM}-01");
        defaults.GetProperty("to").GetString().Should().Be($"{day:yyyy-MM-dd}");
        defaults.GetProperty("group_by").GetString().Should().Be("principal");
    }
}

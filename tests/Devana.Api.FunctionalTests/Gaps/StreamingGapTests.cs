using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Gaps;

/// <summary>
/// Streaming cases the other suites left out: several choices streamed, and what a caller who leaves
/// mid-stream is charged. (An upstream 5xx before a stream's first byte is a row of <see cref="FaultInjectionTests"/>.)
/// </summary>
public sealed class StreamingGapTests(CompletionsFactory factory) : IClassFixture<CompletionsFactory>
{
    [Fact]
    public async Task Stream_WithNOf2_SendsBothChoicesByIndex_CountsBoth_AndStoresEach()
    {
        factory.Upstream.Reset();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Twice", model = "fake-large" });

        using var response = await caller.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = agentId,
            messages = new[] { new { role = "user", content = "two ways" } },
            n = 2,
            stream = true,
            stream_options = new { include_usage = true },
        });
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        data[^1].Should().Be("[DONE]");
        var chunks = data.Take(data.Count - 1).Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
        var choices = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).ToList();
        foreach (var index in new[] { 0, 1 })
        {
            var mine = choices.Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : null))
                .Should().Be("fake answer to: two ways", $"choice {index} streams its whole answer");
            mine.Count(c => c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String).Should().Be(1, $"choice {index} finishes once");
        }

        choices.Select(c => c.GetProperty("index").GetInt32()).Distinct().Should().BeEquivalentTo([0, 1]);
        factory.Upstream.Requests().Should().HaveCount(2, "one upstream call per choice");
        var usage = chunks[^1].GetProperty("usage");
        usage.GetProperty("completion_tokens").GetInt32().Should().Be(10, "two choices of five words, summed");

        var conversationId = chunks[0].GetProperty("conversation_id").GetString();
        var stored = (await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        stored.Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}:{m.GetProperty("choice_index").GetInt32()}")
            .Should().Equal("user:completed:0", "assistant:completed:0", "assistant:completed:1");
        stored.Skip(1).Should().OnlyContain(m => m.GetProperty("content").GetString() == "fake answer to: two ways");

        var record = await LedgerRowAsync(caller.PrincipalId);
        record.Outcome.Should().Be(UsageOutcome.Completed);
        record.CompletionTokens.Should().Be(10);
        var counters = await caller.GetOkAsync("/v1/usage");
        Counter(counters, "principal", "tokens_per_day").GetProperty("used").GetInt64().Should().Be(record.TotalTokens);
        Counter(counters, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Stream_WhenTheCallerLeavesMidAnswer_SettlesTheQuotaOnWhatWasProduced_AndReleasesTheHold()
    {
        factory.Upstream.Reset();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Left", model = "fake-large" });
        // Three words, then the upstream holds until Devana gives up on it.
        factory.Upstream.Behavior = _ => new FakeReply(Enumerable.Range(0, 100).Select(i => $"w{i}").ToList()) { HoldUntil = new TaskCompletionSource().Task, HoldAt = 3 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/completions")
        {
            Content = JsonContent.Create(Ask(agentId, "a long answer please", stream: true, maxTokens: 500)),
        };

        // The caller goes away as a client does: it cancels the request (the test server's way of a closed connection).
        using var leave = new CancellationTokenSource();
        var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var words = 0;
        string? conversationId = null;
        while (words < 3 && await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                var chunk = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                conversationId ??= chunk.GetProperty("conversation_id").GetString();
                if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.GetString()!.Length > 0)
                {
                    words++;
                }
            }
        }

        await leave.CancelAsync();
        reader.Dispose();
        response.Dispose();
        await factory.Upstream.StreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Settlement runs once Devana has seen the disconnect: poll for the ledger row (a safety-net deadline only).
        var record = await PollAsync(async () => await HoldsAsync(caller.PrincipalId) == 0 ? await LedgerRowOrNullAsync(caller.PrincipalId) : null);
        record.Outcome.Should().Be(UsageOutcome.Cancelled);
        record.CompletionTokens.Should().BeGreaterThanOrEqualTo(3, "the three words the caller was sent count");
        record.CompletionTokens.Should().BeLessThan(500, "the reservation of max_tokens is released, not charged");
        var counters = await caller.GetOkAsync("/v1/usage");
        Counter(counters, "principal", "tokens_per_day").GetProperty("used").GetInt64().Should().Be(record.TotalTokens, "the counter is settled to the ledger");
        Counter(counters, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(1);
        (await HoldsAsync(caller.PrincipalId)).Should().Be(0, "the stream's hold went with its settlement");

        var stored = (await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        stored.Should().HaveCount(2);
        stored[1].GetProperty("finish_reason").GetString().Should().Be("cancelled");
        stored[1].GetProperty("content").GetString().Should().StartWith("w0 w1 w2");
        stored[1].GetProperty("usage").GetProperty("completion_tokens").GetInt64().Should().Be(record.CompletionTokens);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the disconnected stream is settled");
            await Task.Delay(50);
        }
    }

    private async Task<UsageRecord> LedgerRowAsync(string principalId) =>
        await LedgerRowOrNullAsync(principalId) ?? throw new InvalidOperationException("no ledger row");

    private async Task<UsageRecord?> LedgerRowOrNullAsync(string principalId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.UsageRecords.AsNoTracking().Where(r => r.PrincipalId == principalId).SingleOrDefaultAsync();
    }

    private async Task<int> HoldsAsync(string principalId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.QuotaHolds.AsNoTracking().CountAsync(h => h.PrincipalId == principalId);
    }
}

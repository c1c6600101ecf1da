using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>
/// A host whose OpenAI-compatible upstream misbehaves on demand. Two providers point at it: <c>fake</c>
/// (a generous timeout, for every fault that is not a timeout) and <c>short</c> (a 1 s timeout, for the
/// hang and the silent stream, whose outcome is that timeout). Neither retries, so one request is one attempt.
/// </summary>
public sealed class FaultInjectionFactory : FakeUpstreamApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        foreach (var (provider, timeout) in new[] { ("fake", "60"), ("short", "1") })
        {
            settings[$"Devana:Llm:Providers:{provider}:Type"] = "OpenAI";
            settings[$"Devana:Llm:Providers:{provider}:BaseUrl"] = Upstream.BaseUrl;
            settings[$"Devana:Llm:Providers:{provider}:ApiKey"] = "sk-fault-injection-key";
            settings[$"Devana:Llm:Providers:{provider}:TimeoutSeconds"] = timeout;
            settings[$"Devana:Llm:Providers:{provider}:MaxRetries"] = "0";
        }

        settings["Devana:Llm:Models:2:Id"] = "fake-short";
        settings["Devana:Llm:Models:2:Provider"] = "short";
        settings["Devana:Llm:Models:2:UpstreamModel"] = "gpt-fake-short";
        settings["Devana:Llm:Models:2:ContextWindow"] = "128000";
        settings["Devana:Llm:Models:2:MaxOutputTokens"] = "1024";
        return settings;
    }
}

/// <summary>
/// The fault-injection table: for each way an upstream can fail, with and without streaming, what the
/// caller gets (status, or the error event of a begun stream), what is stored (the user turn failed and no
/// answer, or the answer), and what is counted (the ledger row and the caller's token counter agree, and
/// only produced output counts).
/// </summary>
public sealed class FaultInjectionTests(FaultInjectionFactory factory) : IClassFixture<FaultInjectionFactory>
{
    private const string Question = "tell me about faults";

    /// <summary>
    /// One row: the fault, streamed or not, and the outcome the caller and the store must show.
    /// <paramref name="CountsTokens"/>: true, the answer's tokens count; false, nothing was produced and nothing
    /// counts; null (a cut stream), exactly what reached Devana before the cut counts — tokens when the caller
    /// was sent some text, none when the cut came first.
    /// </summary>
    public sealed record Fault(UpstreamFault Kind, bool Stream, int Status, string? ErrorCode, bool Answered, bool? CountsTokens, int? CutAfterWords = null, int UpstreamStatus = 200)
    {
        public override string ToString() =>
            $"{(UpstreamStatus != 200 ? UpstreamStatus.ToString(CultureInfo.InvariantCulture) : CutAfterWords is not null ? "cut" : Kind.ToString())} {(Stream ? "streamed" : "whole")}";
    }

    public static TheoryData<Fault> Faults() => new()
    {
        new Fault(UpstreamFault.None, Stream: false, 502, "upstream_error", Answered: false, CountsTokens: false, UpstreamStatus: 500),
        new Fault(UpstreamFault.None, Stream: true, 200, "upstream_error", Answered: false, CountsTokens: false, UpstreamStatus: 500),
        new Fault(UpstreamFault.Hang, Stream: false, 504, "upstream_timeout", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.Hang, Stream: true, 200, "upstream_timeout", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.None, Stream: true, 200, "upstream_error", Answered: false, CountsTokens: null, CutAfterWords: 2),
        new Fault(UpstreamFault.Silent, Stream: false, 504, "upstream_timeout", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.Silent, Stream: true, 200, "upstream_timeout", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.InvalidJson, Stream: false, 502, "upstream_error", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.InvalidJson, Stream: true, 200, "upstream_error", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.WrongShape, Stream: false, 502, "upstream_error", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.WrongShape, Stream: true, 200, "upstream_error", Answered: false, CountsTokens: false),
        new Fault(UpstreamFault.SlowFirstByte, Stream: false, 200, null, Answered: true, CountsTokens: true),
        new Fault(UpstreamFault.SlowFirstByte, Stream: true, 200, null, Answered: true, CountsTokens: true),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task UpstreamFault_GivesTheCallerItsStatus_StoresAConsistentTurn_AndCountsOnlyWhatWasProduced(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Faulty", model = "fake-large", allowed_models = new[] { "fake-large", "fake-short" } });
        var model = fault.Kind is UpstreamFault.Hang or UpstreamFault.Silent ? "fake-short" : "fake-large";
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Upstream.Behavior = request =>
        {
            arrived.TrySetResult();
            return new FakeReply(["four", "words", "of", "answer"], fault.UpstreamStatus, CutAfterWords: fault.CutAfterWords)
            {
                Fault = fault.Kind,
                FirstByteAfter = release.Task,
            };
        };
        var body = Ask(agentId, Question, fault.Stream);
        body["clientModel"] = model;

        var sending = caller.Client.PostAsJsonAsync("/v1/chat/completions", body);
        if (fault.Kind == UpstreamFault.SlowFirstByte)
        {
            // Devana's request is at the upstream, which has sent nothing yet; only now does it answer.
            await arrived.Task;
            sending.IsCompleted.Should().BeFalse("nothing can be answered before the upstream's first byte");
            release.SetResult();
        }

        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();

        // The caller's status, or the error event that ends a begun stream.
        ((int)response.StatusCode).Should().Be(fault.Status, text);
        if (!fault.Stream && fault.ErrorCode is not null)
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            error.GetProperty("type").GetString().Should().Be("upstream_error");
            error.GetProperty("code").GetString().Should().Be(fault.ErrorCode);
            error.GetProperty("message").GetString().Should().NotContain("sk-fault-injection-key");
        }

        var sentText = string.Empty;
        if (fault.Stream)
        {
            var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
                .Select(e => e["data: ".Length..])
                .ToList();
            sentText = string.Concat(events.Where(e => e.StartsWith("{\"id\"", StringComparison.Ordinal))
                .SelectMany(e => JsonDocument.Parse(e).RootElement.GetProperty("choices").EnumerateArray())
                .Select(c => c.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null));
            if (fault.ErrorCode is null)
            {
                events[^1].Should().Be("[DONE]");
            }
            else
            {
                var last = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
                last.GetProperty("type").GetString().Should().Be("upstream_error", text);
                last.GetProperty("code").GetString().Should().Be(fault.ErrorCode, text);
                events.Should().NotContain("[DONE]");
            }
        }

        // What is stored: the user turn, failed with no answer, or completed with its answer.
        var conversations = await caller.GetOkAsync("/v1/conversations");
        var conversation = conversations.GetProperty("data").EnumerateArray().Should().ContainSingle().Subject;
        var messages = await caller.GetOkAsync($"/v1/conversations/{conversation.GetProperty("id").GetString()}/messages");
        var stored = messages.GetProperty("data").EnumerateArray()
            .Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}")
            .ToList();
        stored.Should().Equal(fault.Answered ? ["user:completed", "assistant:completed"] : new[] { "user:failed" });
        conversation.GetProperty("message_count").GetInt32().Should().Be(stored.Count);

        // What is counted: one ledger row, whose tokens are what the caller's counter says were used.
        var record = await LedgerRowAsync(caller.PrincipalId);
        record.Outcome.Should().Be(fault.Answered ? UsageOutcome.Completed : UsageOutcome.Failed);
        var usage = await caller.GetOkAsync("/v1/usage");
        Counter(usage, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(1);
        Counter(usage, "principal", "tokens_per_day").GetProperty("used").GetInt64().Should().Be(record.TotalTokens);
        if (fault.CountsTokens ?? sentText.Length > 0)
        {
            record.CompletionTokens.Should().BeGreaterThan(0, "what the upstream produced counts");
        }
        else
        {
            record.TotalTokens.Should().Be(0, "nothing was produced");
        }
    }

    private async Task<UsageRecord> LedgerRowAsync(string principalId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.UsageRecords.AsNoTracking().Where(r => r.PrincipalId == principalId).SingleAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Serilog.Events;
using static Devana.Api.FunctionalTests.Completions.Fallbacks.FallbackFactory;

namespace Devana.Api.FunctionalTests.Completions.Fallbacks;

/// <summary>
/// An agent's <c>fallback_models</c> over HTTP: a failure of the agent's LLM before its first byte (503, a
/// timeout on the fake clock) moves the request to the next LLM, whose name the answer, the stored message, the
/// ledger and the log line carry; a failure after the first byte never does. It runs in the telemetry
/// collection, alone: it reads the request's log line, and hosts running in parallel share Serilog's static state.
/// </summary>
[Collection(Telemetry.TelemetryCollection.Name)]
public sealed class FallbackTests : IClassFixture<FallbackFactory>
{
    private readonly FallbackFactory _factory;

    public FallbackTests(FallbackFactory factory)
    {
        _factory = factory;
        _factory.Upstream.Reset();
    }

    private FakeOpenAiUpstream Upstream => _factory.Upstream;

    [Fact]
    public async Task Complete_WhenTheAgentsLlmAnswers503_TheFallbackAnswers_AndTheAnswerLedgerAndLogNameIt()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Resilient", model = Primary, fallback_models = new[] { Backup } });
        FailWith(Primary, 503);

        var response = await caller.CompleteAsync(Ask(agentId, "hello"));

        var body = await OkAsync(response);
        body.GetProperty("client_model").GetString().Should().Be(Backup);
        body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("fake answer to: hello");
        body.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(4, "the backup's own count: one token per word");
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary), UpstreamModelOf(Backup));
        var conversationId = body.GetProperty("conversation_id").GetString()!;
        (await StoredAsync(caller, conversationId)).Should().Equal($"user:completed:{Primary}", $"assistant:completed:{Backup}");
        (await LedgerAsync(conversationId)).Should().Equal((Backup, UsageOutcome.Completed, 4L));

        var line = await RequestLineAsync(response);
        line.Properties["Llm"].Should().BeEquivalentTo(new ScalarValue(Backup));
        var attempts = Attempts(line);
        attempts.Should().HaveCount(2);
        attempts[0].Should().StartWith($"{Primary}: upstream_error: ").And.Contain("503");
        attempts[1].Should().Be($"{Backup}: answered");
    }

    [Fact]
    public async Task Stream_WhenTheAgentsLlmAnswers503_TheFallbackStreams_AndItsChunksNameIt()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Resilient", model = Primary, fallback_models = new[] { Backup } });
        FailWith(Primary, 503);

        var response = await caller.CompleteAsync(Ask(agentId, "streamed", new { stream = true, stream_options = new { include_usage = true } }));

        var chunks = await ChunksAsync(response);
        chunks.Where(c => c.TryGetProperty("error", out _)).Should().BeEmpty();
        chunks[0].TryGetProperty("client_model", out _).Should().BeFalse("the role chunk goes before any LLM answered");
        chunks.Skip(1).Should().OnlyContain(c => c.GetProperty("client_model").GetString() == Backup);
        Text(chunks).Should().Be("fake answer to: streamed");
        chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(4);
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary), UpstreamModelOf(Backup));
        var conversationId = chunks[0].GetProperty("conversation_id").GetString()!;
        (await StoredAsync(caller, conversationId)).Should().Equal($"user:completed:{Primary}", $"assistant:completed:{Backup}");
        (await LedgerAsync(conversationId)).Should().Equal((Backup, UsageOutcome.Completed, 4L));
        Attempts(await RequestLineAsync(response)).Should().HaveCount(2).And.HaveElementAt(1, $"{Backup}: answered");
    }

    [Fact]
    public async Task Complete_WhenTheAgentsLlmTimesOutBeforeItsFirstByte_TheFallbackAnswers()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Patient", model = Primary, fallback_models = new[] { Backup } });
        var asked = SilentWhenAsked(Primary);

        var call = caller.CompleteAsync(Ask(agentId, "anyone there"));
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _factory.Clock.Advance(UpstreamTimeout);

        var body = await OkAsync(await call);
        body.GetProperty("client_model").GetString().Should().Be(Backup);
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary), UpstreamModelOf(Backup));
        Attempts(await RequestLineAsync(await call))[0].Should().StartWith($"{Primary}: upstream_timeout: ").And.Contain("did not answer within 10 s");
    }

    [Fact]
    public async Task Stream_WhenTheAgentsLlmTimesOutBeforeItsFirstByte_TheFallbackStreams()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Patient", model = Primary, fallback_models = new[] { Backup } });
        var asked = SilentWhenAsked(Primary);

        var call = caller.CompleteAsync(Ask(agentId, "anyone streaming", new { stream = true }));
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _factory.Clock.Advance(UpstreamTimeout);

        var chunks = await ChunksAsync(await call);
        Text(chunks).Should().Be("fake answer to: anyone streaming");
        chunks.Skip(1).Should().OnlyContain(c => c.GetProperty("client_model").GetString() == Backup);
        var conversationId = chunks[0].GetProperty("conversation_id").GetString()!;
        (await LedgerAsync(conversationId)).Should().Equal((Backup, UsageOutcome.Completed, 5L));
    }

    [Fact]
    public async Task Stream_WhenTheAgentsLlmFailsAfterItsFirstByte_DoesNotFallBack()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Honest", model = Primary, fallback_models = new[] { Backup } });
        // Two words reach Devana, then the upstream reports a failure in the stream. (A connection cut right
        // after the words is no test of this: the reset may discard words not yet read, and then nothing of
        // the answer has reached Devana, which rightly falls back.)
        Upstream.Behavior = request => ModelOf(request) == UpstreamModelOf(Primary)
            ? new FakeReply(["one", "two", "three", "four"], ErrorAfterWords: 2)
            : FakeOpenAiUpstream.DefaultBehavior(request);

        var response = await caller.CompleteAsync(Ask(agentId, "cut short", new { stream = true }));

        var chunks = await ChunksAsync(response);
        chunks[^1].TryGetProperty("error", out var error).Should().BeTrue(string.Join(Environment.NewLine, chunks));
        error.GetProperty("type").GetString().Should().Be("upstream_error");
        Text(chunks).Should().Be("one two", "the words sent before the cut, and nothing from another LLM");
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary));
        var conversationId = chunks[0].GetProperty("conversation_id").GetString()!;
        (await StoredAsync(caller, conversationId)).Should().Equal($"user:failed:{Primary}");
        (await LedgerAsync(conversationId)).Should().ContainSingle().Which.Llm.Should().Be(Primary);
        Attempts(await RequestLineAsync(response)).Should().ContainSingle().Which.Should().StartWith($"{Primary}: upstream_error: ");
    }

    [Fact]
    public async Task Complete_WhenEveryLlmFails_ReturnsTheLastError_AndTriesEachOnce()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Doomed", model = Primary, fallback_models = new[] { Backup, Spare } });
        Upstream.Behavior = request => new FakeReply([], Status: ModelOf(request) == UpstreamModelOf(Spare) ? 500 : 503);

        var response = await caller.CompleteAsync(Ask(agentId, "nobody home"));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.BadGateway, "upstream_error", "upstream_error");
        error.GetProperty("message").GetString().Should().Contain("500").And.NotContain("sk-fake-upstream-key");
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary), UpstreamModelOf(Backup), UpstreamModelOf(Spare));
        Attempts(await RequestLineAsync(response)).Should().HaveCount(3);
        var conversations = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}/conversations");
        var conversationId = conversations.GetProperty("data")[0].GetProperty("id").GetString()!;
        (await LedgerAsync(conversationId)).Should().Equal((Spare, UsageOutcome.Failed, 0L));
    }

    [Fact]
    public async Task ClientModel_IsTriedFirst_ThenTheAgentsFallbacks_EachLlmOnce()
    {
        var (caller, agentId) = await AgentAsync(new
        {
            name = "Choosy", model = Primary, allowed_models = new[] { Primary, Spare, Backup }, fallback_models = new[] { Backup, Spare },
        });
        FailWith(Spare, 503);

        var body = await OkAsync(await caller.CompleteAsync(Ask(agentId, "pick spare", new { clientModel = Spare })));

        body.GetProperty("client_model").GetString().Should().Be(Backup);
        UpstreamModels().Should().Equal(UpstreamModelOf(Spare), UpstreamModelOf(Backup));

        // The caller's LLM is a fallback too: it is not asked a second time.
        Upstream.Reset();
        FailWith(Backup, 503);
        var failed = await caller.CompleteAsync(Ask(agentId, "pick backup", new { clientModel = Backup }));
        (await OkAsync(failed)).GetProperty("client_model").GetString().Should().Be(Spare);
        UpstreamModels().Should().Equal(UpstreamModelOf(Backup), UpstreamModelOf(Spare));
    }

    [Fact]
    public async Task Fallback_ThatCannotTakeTheRequest_IsPassedOver()
    {
        // fake-narrow writes at most 10 tokens; the request asks for the primary's 1000.
        var (caller, agentId) = await AgentAsync(new { name = "Careful", model = Primary, fallback_models = new[] { Narrow, Backup } });
        FailWith(Primary, 503);

        var body = await OkAsync(await caller.CompleteAsync(Ask(agentId, "long answer please")));

        body.GetProperty("client_model").GetString().Should().Be(Backup);
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary), UpstreamModelOf(Backup));
    }

    [Fact]
    public async Task Complete_WhenTheAgentsLlmAnswers400_DoesNotFallBack()
    {
        var (caller, agentId) = await AgentAsync(new { name = "Strict", model = Primary, fallback_models = new[] { Backup } });
        FailWith(Primary, 400);

        var response = await caller.CompleteAsync(Ask(agentId, "bad request"));

        (await response.ShouldBeErrorAsync(HttpStatusCode.BadGateway, "upstream_error", "upstream_error"))
            .GetProperty("message").GetString().Should().Contain("400");
        UpstreamModels().Should().Equal(UpstreamModelOf(Primary));
    }

    private async Task<(TestCaller Caller, string AgentId)> AgentAsync(object agent)
    {
        var caller = await _factory.CreateUserAsync();
        return (caller, await caller.CreateAgentAsync(agent));
    }

    private void FailWith(string llm, int status) =>
        Upstream.Behavior = request => ModelOf(request) == UpstreamModelOf(llm) ? new FakeReply([], Status: status) : FakeOpenAiUpstream.DefaultBehavior(request);

    /// <summary>The LLM's upstream never answers; the task completes when Devana has asked it (its timeout is running).</summary>
    private TaskCompletionSource SilentWhenAsked(string llm)
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Upstream.Behavior = request =>
        {
            if (ModelOf(request) != UpstreamModelOf(llm))
            {
                return FakeOpenAiUpstream.DefaultBehavior(request);
            }

            asked.TrySetResult();
            return new FakeReply([], Silent: true);
        };
        return asked;
    }

    private static string? ModelOf(JsonElement request) => request.GetProperty("model").GetString();

    private List<string?> UpstreamModels() => Upstream.Requests().Select(ModelOf).ToList();

    private static Dictionary<string, object?> Ask(string agentId, string text, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = new[] { new { role = "user", content = text } } };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return body;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> ChunksAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        return data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
    }

    private static string Text(IEnumerable<JsonElement> chunks) => string.Concat(chunks
        .Where(c => c.TryGetProperty("choices", out _))
        .SelectMany(c => c.GetProperty("choices").EnumerateArray())
        .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : string.Empty));

    /// <summary>Each stored message as <c>role:status:client_model</c>.</summary>
    private static async Task<List<string>> StoredAsync(TestCaller caller, string conversationId)
    {
        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages");
        return messages.GetProperty("data").EnumerateArray()
            .Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}:{m.GetProperty("client_model").GetString()}")
            .ToList();
    }

    /// <summary>The conversation's ledger rows: the LLM, the outcome and the completion tokens.</summary>
    private async Task<List<(string Llm, UsageOutcome Outcome, long CompletionTokens)>> LedgerAsync(string conversationId)
    {
        await using var scope = _factory.CreateDatabaseScope(out var db);
        var rows = await db.UsageRecords.AsNoTracking().Where(r => r.ConversationId == conversationId).ToListAsync();
        return rows.Select(r => (r.LlmId, r.Outcome, r.CompletionTokens)).ToList();
    }

    /// <summary>The request's log line, written once the response has ended (which the client may see first).</summary>
    private async Task<LogEvent> RequestLineAsync(HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("x-request-id").Single();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"No request line for {requestId}. Logs:{Environment.NewLine}" + string.Join(Environment.NewLine,
                    _factory.Logs.Select(e => e.MessageTemplate.Text + " " + string.Join(", ", e.Properties.Select(p => $"{p.Key}={p.Value}")))));
            }

            var line = _factory.Logs.SingleOrDefault(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal)
                && e.Properties.TryGetValue("RequestId", out var id) && id is ScalarValue { Value: string value } && value == requestId);
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(20);
        }
    }

    private static List<string> Attempts(LogEvent line) =>
        ((SequenceValue)line.Properties["LlmAttempts"]).Elements.Select(e => (string)((ScalarValue)e).Value!).ToList();
}

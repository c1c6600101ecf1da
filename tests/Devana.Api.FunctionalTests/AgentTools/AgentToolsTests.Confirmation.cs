using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>docs/tools.md#confirmation: a tool with <c>requires_confirmation</c> stops the loop until the caller approves or refuses.</summary>
public sealed partial class AgentToolsTests
{
    private const string Refusal = "Tool call invocation was rejected by the approver and must not be retried. The user refused this call, so it did not run.";

    private object ConfirmedTool(string name, string path, string method = "GET", object? parameters = null, int timeout = 10)
    {
        var tool = (Dictionary<string, object?>)HttpTool(name, path, method, timeout, parameters);
        tool["requires_confirmation"] = true;
        return tool;
    }

    private static object Confirm(string agentId, string conversationId, string callId, bool approve, bool stream = false) =>
        new { model = agentId, conversation_id = conversationId, tool_confirmations = new[] { new { call_id = callId, approve } }, stream };

    private static async Task<List<JsonElement>> MessagesOfAsync(TestCaller caller, string conversationId) =>
        (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>The agent's answer stopped for a confirmation: its conversation and its one pending call.</summary>
    private static (string ConversationId, JsonElement Pending) Stopped(JsonElement answer)
    {
        var choice = answer.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().Should().Be("tool_confirmation");
        choice.GetProperty("message").TryGetProperty("tool_calls", out _).Should().BeFalse("the call is Devana's to run once confirmed, not the caller's to answer");
        return (answer.GetProperty("conversation_id").GetString()!, answer.GetProperty("devana").GetProperty("pending_tool_calls").EnumerateArray().ToList().Should().ContainSingle().Subject);
    }

    [Fact]
    public async Task Complete_WhenTheToolRequiresConfirmation_StopsAndNamesThePendingCall_ThenRunsItWhenApproved()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);

        var stopped = await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}"""));
        var (conversationId, pending) = Stopped(stopped);
        pending.GetProperty("name").GetString().Should().Be("order_status");
        pending.GetProperty("arguments").GetString().Should().Be("""{"order_id":"A1"}""");
        pending.GetProperty("requires_confirmation").GetBoolean().Should().BeTrue();
        _factory.Tools.RequestsTo("/orders/status").Should().BeEmpty("nothing runs before the caller says so");
        var waiting = await MessagesOfAsync(caller, conversationId);
        waiting.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant");
        waiting[1].GetProperty("finish_reason").GetString().Should().Be("tool_confirmation");
        waiting[1].GetProperty("tool_calls")[0].GetProperty("id").GetString().Should().Be(pending.GetProperty("id").GetString());

        var approved = await caller.CompleteOkAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: true));

        var choice = approved.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().Should().Be("stop");
        choice.GetProperty("message").GetProperty("content").GetString().Should().Be("""Echo: {"order_id":"A1","status":"shipped"}""");
        approved.TryGetProperty("devana", out _).Should().BeFalse();
        approved.GetProperty("conversation_id").GetString().Should().Be(conversationId);
        _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle().Which.Headers["authorization"].Should().Be(Secret);
        var messages = await MessagesOfAsync(caller, conversationId);
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        messages[2].GetProperty("tool_call_id").GetString().Should().Be(pending.GetProperty("id").GetString());
        messages[2].GetProperty("content").GetString().Should().Be("""{"order_id":"A1","status":"shipped"}""");
        messages[3].GetProperty("content").GetString().Should().Be(choice.GetProperty("message").GetProperty("content").GetString());

        // The conversation goes on as any other: the stored call and result are replayed.
        var next = await caller.CompleteOkAsync(new { model = agentId, conversation_id = conversationId, messages = new[] { new { role = "user", content = "thanks" } } });
        next.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: thanks");
    }

    [Fact]
    public async Task Complete_WhenTheCallerRefusesTheCall_TheLlmReadsTheRefusalAndAnswers()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);
        var (conversationId, pending) = Stopped(await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}""")));

        var refused = await caller.CompleteOkAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: false));

        refused.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: " + Refusal);
        refused.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        _factory.Tools.RequestsTo("/orders/status").Should().BeEmpty();
        var messages = await MessagesOfAsync(caller, conversationId);
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        messages[2].GetProperty("content").GetString().Should().Be(Refusal);
    }

    [Fact]
    public async Task Stream_WhenTheToolRequiresConfirmation_TheLastChunkNamesThePendingCall_AndTheApprovalStreamsTheRun()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);

        var (stopData, _) = await CompletionTestKit.ReadSseAsync(await caller.CompleteAsync(Ask(agentId, """call order_status {"order_id":"A1"}""", stream: true)));
        var stopChunks = stopData.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        var last = stopChunks.Last(c => c.GetProperty("choices").EnumerateArray().Any(ch => ch.GetProperty("finish_reason").ValueKind == JsonValueKind.String));
        last.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("tool_confirmation");
        var pending = last.GetProperty("devana").GetProperty("pending_tool_calls").EnumerateArray().ToList().Should().ContainSingle().Subject;
        pending.GetProperty("name").GetString().Should().Be("order_status");
        stopChunks.Where(c => c.TryGetProperty("devana", out var devana) && devana.TryGetProperty("tool_call", out _)).Should().BeEmpty("nothing ran");
        stopChunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Where(ch => ch.GetProperty("delta").TryGetProperty("tool_calls", out _)).Should().BeEmpty();
        var conversationId = stopChunks[0].GetProperty("conversation_id").GetString()!;

        var (data, _) = await CompletionTestKit.ReadSseAsync(await caller.CompleteAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: true, stream: true)));

        var chunks = data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        var progress = chunks.Where(c => c.TryGetProperty("devana", out _)).Select(c => c.GetProperty("devana").GetProperty("tool_call")).ToList();
        progress.Select(p => p.GetProperty("status").GetString()).Should().Equal("running", "completed");
        progress.Should().AllSatisfy(p => p.GetProperty("id").GetString().Should().Be(pending.GetProperty("id").GetString()));
        string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null))
            .Should().Be("""Echo: {"order_id":"A1","status":"shipped"}""");
        _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle();
        (await MessagesOfAsync(caller, conversationId)).Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
    }

    [Fact]
    public async Task Stream_WhenTheCallerRefusesTheCall_ShowsItFailedAndStreamsTheLlmsAnswer()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);
        var (conversationId, pending) = Stopped(await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}""")));

        var (data, _) = await CompletionTestKit.ReadSseAsync(await caller.CompleteAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: false, stream: true)));

        var chunks = data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        chunks.Where(c => c.TryGetProperty("devana", out _)).Select(c => c.GetProperty("devana").GetProperty("tool_call").GetProperty("status").GetString())
            .Should().Equal("running", "failed");
        string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null))
            .Should().Be("Echo: " + Refusal);
        _factory.Tools.RequestsTo("/orders/status").Should().BeEmpty();
    }

    [Fact]
    public async Task Complete_WithConfirmation_UsageIsTheSumOfTheRoundsOfEachRequest()
    {
        var weather = ConfirmedTool("weather", "/weather", parameters: new { type = "object", properties = new { city = new { type = "string" } } });
        var (caller, agentId) = await AgentWithAsync([weather], model: "gpt-fake");

        var stopped = await caller.CompleteOkAsync(Ask(agentId, "Weather in Paris?"));
        var (conversationId, pending) = Stopped(stopped);
        var approved = await caller.CompleteOkAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: true));

        approved.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Sunny: 18°C in Paris");
        _factory.Upstreams.RequestsOf("openai").Should().HaveCount(2, "one round stopped for the call, one answered after it");
        stopped.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(20);
        stopped.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(5);
        approved.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(20);
        approved.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(25);
    }

    [Fact]
    public async Task Complete_WithTwoCallsOfWhichOneRequiresConfirmation_BothWaitAndBothRunOnceItIsApproved()
    {
        var schema = new { type = "object", properties = new { } };
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("first", "/parallel/first", "POST", schema, timeout: 60), HttpTool("second", "/parallel/second", "POST", timeout: 60, parameters: schema)]);

        var stopped = await caller.CompleteOkAsync(Ask(agentId, "call first {}\ncall second {}"));
        var pending = stopped.GetProperty("devana").GetProperty("pending_tool_calls").EnumerateArray().ToList();
        pending.Select(p => (p.GetProperty("name").GetString(), p.GetProperty("requires_confirmation").GetBoolean())).Should().Equal(("first", true), ("second", false));
        _factory.Tools.Requests.Should().NotContain(r => r.Path.StartsWith("/parallel", StringComparison.Ordinal));

        var approved = await caller.CompleteOkAsync(Confirm(agentId, stopped.GetProperty("conversation_id").GetString()!, pending[0].GetProperty("id").GetString()!, approve: true));

        // Each tool answers only once the other has been called: both run, at the same time.
        approved.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: first done second done");
        var messages = await MessagesOfAsync(caller, stopped.GetProperty("conversation_id").GetString()!);
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "tool", "assistant");
    }

    [Fact]
    public async Task Complete_WithConfirmation_NoResponseOrStoredMessageHoldsTheToolsSecret()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("echo_tool", "/echo", "POST", new { type = "object", properties = new { q = new { type = "string" } } })]);
        var stoppedText = await (await caller.CompleteAsync(Ask(agentId, """call echo_tool {"q":"hello"}"""))).Content.ReadAsStringAsync();
        var (conversationId, pending) = Stopped(JsonDocument.Parse(stoppedText).RootElement);

        var approved = await caller.CompleteAsync(Confirm(agentId, conversationId, pending.GetProperty("id").GetString()!, approve: true));
        var approvedText = await approved.Content.ReadAsStringAsync();
        var stored = await caller.Client.GetStringAsync($"/v1/conversations/{conversationId}/messages");

        approved.StatusCode.Should().Be(HttpStatusCode.OK, approvedText);
        _factory.Tools.RequestsTo("/echo").Should().ContainSingle();
        approvedText.Should().Contain("[redacted]");
        foreach (var text in new[] { stoppedText, approvedText, stored })
        {
            text.Should().NotContain("s3cret");
        }

        _factory.Logs.Should().NotContain(line => line.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complete_WithBadToolConfirmations_IsAnErrorNamingTheField_AndRunsNothing()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);
        var (conversationId, pending) = Stopped(await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}""")));
        var callId = pending.GetProperty("id").GetString()!;

        var noConversation = await caller.CompleteAsync(new { model = agentId, tool_confirmations = new[] { new { call_id = callId, approve = true } } });
        var withMessages = await caller.CompleteAsync(new { model = agentId, conversation_id = conversationId, tool_confirmations = new[] { new { call_id = callId, approve = true } }, messages = new[] { new { role = "user", content = "yes" } } });
        var noApprove = await caller.CompleteAsync(new { model = agentId, conversation_id = conversationId, tool_confirmations = new[] { new { call_id = callId } } });
        var unknownCall = await caller.CompleteAsync(Confirm(agentId, conversationId, "call_nope", approve: true));
        var unknownConversation = await caller.CompleteAsync(Confirm(agentId, "conv_nope", callId, approve: true));
        var newMessage = await caller.CompleteAsync(new { model = agentId, conversation_id = conversationId, messages = new[] { new { role = "user", content = "never mind" } } });
        var callersResult = await caller.CompleteAsync(new { model = agentId, conversation_id = conversationId, messages = new[] { new { role = "tool", tool_call_id = callId, content = "shipped" } } });

        await noConversation.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "conversation_id");
        await withMessages.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages");
        await noApprove.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "tool_confirmations[0].approve");
        await unknownCall.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "tool_confirmations[0].call_id");
        await unknownConversation.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
        await newMessage.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "tool_confirmation_pending", "tool_confirmations");
        await callersResult.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "tool_confirmation_pending", "tool_confirmations");
        _factory.Tools.RequestsTo("/orders/status").Should().BeEmpty();

        // Settled once; a second confirmation of the same call finds nothing waiting.
        await caller.CompleteOkAsync(Confirm(agentId, conversationId, callId, approve: true));
        var twice = await caller.CompleteAsync(Confirm(agentId, conversationId, callId, approve: false));
        await twice.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "no_pending_tool_calls", "tool_confirmations");
        _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle();
    }

    [Fact]
    public async Task Complete_WithToolConfirmationsOnAConversationWithNothingPending_Is409()
    {
        var (caller, agentId) = await AgentWithAsync([ConfirmedTool("order_status", "/orders/status")]);
        var plain = await caller.CompleteOkAsync(Ask(agentId, "hello"));

        var response = await caller.CompleteAsync(Confirm(agentId, plain.GetProperty("conversation_id").GetString()!, "call_1", approve: true));

        await response.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "no_pending_tool_calls", "tool_confirmations");
    }
}

using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using OpenAI.Chat;

namespace Devana.Api.FunctionalTests.Completions;

public sealed class CompletionsTests : IClassFixture<CompletionsFactory>
{
    private readonly CompletionsFactory _factory;

    public CompletionsTests(CompletionsFactory factory)
    {
        _factory = factory;
        _factory.Upstream.Reset();
    }

    private FakeOpenAiUpstream Upstream => _factory.Upstream;

    private async Task<(TestCaller Caller, string AgentId)> UserWithAgentAsync(object? agent = null)
    {
        var caller = await _factory.CreateUserAsync();
        var id = await caller.CreateAgentAsync(agent ?? new { name = "Support", instructions = "You are the support agent.", model = "fake-large" });
        return (caller, id);
    }

    private static object Ask(string agentId, string text, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = new[] { new { role = "user", content = text } } };
        if (extra is not null)
        {
            foreach (var property in extra.GetType().GetProperties())
            {
                body[property.Name] = property.GetValue(extra);
            }
        }

        return body;
    }

    [Fact]
    public async Task Sdk_PlainCall_ReturnsTheAnswerWithUsage()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var chat = _factory.SdkChatClient(caller, agentId);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("What is Devana?")]);

        completion.Content[0].Text.Should().Be("fake answer to: What is Devana?");
        completion.Id.Should().StartWith("msg_");
        completion.Model.Should().Be(agentId);
        completion.Usage.OutputTokenCount.Should().Be(6, "the fake upstream reports one token per word");
        completion.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task Sdk_StreamedCall_YieldsTheWholeAnswer()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var chat = _factory.SdkChatClient(caller, agentId);
        var text = new StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("stream please")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        text.ToString().Should().Be("fake answer to: stream please");
        updates.Should().BeGreaterThan(3);
        finish.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task Sdk_WithTwoChoicesAndStop_ReturnsTwoChoicesAndSendsStopUpstream()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var body = await caller.CompleteOkAsync(Ask(agentId, "two please", new { n = 2, stop = new[] { "END" } }));

        body.GetProperty("choices").GetArrayLength().Should().Be(2);
        body.GetProperty("choices")[1].GetProperty("index").GetInt32().Should().Be(1);
        body.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(10, "two choices of five words each, summed");
        Upstream.Requests().Should().HaveCount(2).And.OnlyContain(r => r.GetProperty("stop")[0].GetString() == "END");

        var chat = _factory.SdkChatClient(caller, agentId);
        var options = new ChatCompletionOptions();
        options.StopSequences.Add("END");
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("sdk stop")], options);
        completion.Content[0].Text.Should().Be("fake answer to: sdk stop");
    }

    [Fact]
    public async Task Completion_ResponseHasTheContractShape()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var body = await caller.CompleteOkAsync(Ask(agentId, "shape"));

        body.GetProperty("object").GetString().Should().Be("chat.completion");
        body.GetProperty("id").GetString().Should().StartWith("msg_");
        body.GetProperty("model").GetString().Should().Be(agentId);
        body.GetProperty("conversation_id").GetString().Should().StartWith("conv_");
        body.GetProperty("client_model").GetString().Should().Be("fake-large");
        body.GetProperty("created").GetInt64().Should().BeGreaterThan(1_700_000_000);
        var choice = body.GetProperty("choices")[0];
        choice.GetProperty("message").GetProperty("role").GetString().Should().Be("assistant");
        choice.GetProperty("finish_reason").GetString().Should().Be("stop");
        var usage = body.GetProperty("usage");
        usage.GetProperty("total_tokens").GetInt32().Should().Be(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task BothRoutes_AreTheSameEndpoint()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var viaV1 = await caller.CompleteAsync(Ask(agentId, "route"), "/v1/chat/completions");

        viaV1.StatusCode.Should().Be(HttpStatusCode.OK);
        (await viaV1.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetString().Should().Be("chat.completion");
    }

    [Fact]
    public async Task Conversation_ContinuedOverThreeTurns_SendsTheWholeHistoryInOrder()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var first = await caller.CompleteOkAsync(Ask(agentId, "turn one"));
        var conversationId = first.GetProperty("conversation_id").GetString();
        await caller.CompleteOkAsync(Ask(agentId, "turn two", new { conversation_id = conversationId }));
        var third = await caller.CompleteOkAsync(Ask(agentId, "turn three", new { conversation_id = conversationId }));

        third.GetProperty("conversation_id").GetString().Should().Be(conversationId);
        var sent = CompletionTestKit.MessagesOf(Upstream.Requests().Last());
        sent.Should().Equal(
            ("system", "You are the support agent."),
            ("user", "turn one"),
            ("assistant", "fake answer to: turn one"),
            ("user", "turn two"),
            ("assistant", "fake answer to: turn two"),
            ("user", "turn three"));
    }

    [Fact]
    public async Task Lang_PutsTheLanguageInstructionInThePrompt()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        await caller.CompleteOkAsync(Ask(agentId, "bonjour", new { lang = "fr" }));

        var system = CompletionTestKit.MessagesOf(Upstream.Requests().Single())[0];
        system.Role.Should().Be("system");
        system.Content.Should().StartWith("You are the support agent.").And.Contain("Always answer in").And.Contain("(fr)");
    }

    [Fact]
    public async Task ClientModel_SwitchesTheUpstreamModel()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var body = await caller.CompleteOkAsync(Ask(agentId, "switch", new { clientModel = "fake-small" }));
        await caller.CompleteOkAsync(Ask(agentId, "switch again", new { client_model = "fake-small" }));

        body.GetProperty("client_model").GetString().Should().Be("fake-small");
        Upstream.Requests().Should().OnlyContain(r => r.GetProperty("model").GetString() == "upstream-small");
    }

    [Fact]
    public async Task Parameters_ReachTheUpstream()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        await caller.CompleteOkAsync(Ask(agentId, "params", new { temperature = 0.25, top_p = 0.5, max_tokens = 42, response_format = new { type = "json_object" } }));

        var sent = Upstream.Requests().Single();
        sent.GetProperty("temperature").GetDouble().Should().BeApproximately(0.25, 0.0001);
        sent.GetProperty("top_p").GetDouble().Should().BeApproximately(0.5, 0.0001);
        var maxTokens = sent.TryGetProperty("max_completion_tokens", out var mct) ? mct : sent.GetProperty("max_tokens");
        maxTokens.GetInt32().Should().Be(42);
        sent.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_object");
    }

    [Fact]
    public async Task EchoModel_AnswersEndToEndWithoutNetwork()
    {
        var caller = await _factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Echo agent" });

        var body = await caller.CompleteOkAsync(Ask(agentId, "hello echo"));

        body.GetProperty("client_model").GetString().Should().Be("echo");
        body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Contain("hello echo");
        body.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().BeGreaterThan(0);
        Upstream.Requests().Should().BeEmpty();
    }

    [Fact]
    public async Task Stream_HasRoleChunkFirstFinishChunkUsageAndDone()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var response = await caller.CompleteAsync(Ask(agentId, "sse", new { stream = true, stream_options = new { include_usage = true } }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        data[^1].Should().Be("[DONE]");
        var chunks = data.SkipLast(1).Select(d => JsonDocument.Parse(d).RootElement).ToList();
        chunks.Should().OnlyContain(c => c.GetProperty("object").GetString() == "chat.completion.chunk" && c.GetProperty("conversation_id").GetString()!.StartsWith("conv_"));
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        var finish = chunks.Single(c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        finish.GetProperty("choices")[0].GetProperty("delta").EnumerateObject().Should().BeEmpty();
        finish.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(4, "the fake upstream reports one token per word");
        var usageChunk = chunks[^1];
        usageChunk.GetProperty("choices").GetArrayLength().Should().Be(0);
        usageChunk.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().BeGreaterThan(0);
        string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : string.Empty))
            .Should().Be("fake answer to: sse");
    }

    [Fact]
    public async Task Stream_WhenUpstreamIsSilent_SendsKeepAliveComments()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        // The upstream says nothing until the caller has seen a keep-alive: no race between two clocks.
        var keptAlive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Upstream.Behavior = _ => new FakeReply(["slow", "answer"]) { HoldUntil = keptAlive.Task };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/completions") { Content = JsonContent.Create(Ask(agentId, "slow", new { stream = true })) };

        using var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var data = new List<string>();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (line == ": keep-alive")
            {
                keptAlive.TrySetResult();
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        keptAlive.Task.IsCompleted.Should().BeTrue("a silent upstream gets a keep-alive comment within KeepAliveSeconds (0.3 s)");
        data[^1].Should().Be("[DONE]");
    }

    [Fact]
    public async Task Stream_WhenUpstreamCutsTheStream_SendsAnErrorEventAndMarksTheTurnFailed()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        Upstream.Behavior = _ => new FakeReply(["one", "two", "three", "four"], CutAfterWords: 2);

        var response = await caller.CompleteAsync(Ask(agentId, "cut", new { stream = true }));

        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        var last = JsonDocument.Parse(data[^1]).RootElement;
        last.GetProperty("error").GetProperty("type").GetString().Should().Be("upstream_error");
        var conversationId = JsonDocument.Parse(data[0]).RootElement.GetProperty("conversation_id").GetString();
        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages");
        var stored = messages.GetProperty("data").EnumerateArray().ToList();
        stored.Should().ContainSingle();
        stored[0].GetProperty("status").GetString().Should().Be("failed");
    }

    [Fact]
    public async Task Stream_WhenCallerDisconnects_CancelsUpstreamAndStoresThePartialAnswer()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        // Three words, then the upstream holds until Devana gives up on it: the caller leaves mid-answer whatever the machine's speed.
        Upstream.Behavior = _ => new FakeReply(Enumerable.Range(0, 200).Select(i => $"w{i}").ToList()) { HoldUntil = new TaskCompletionSource().Task, HoldAt = 3 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/completions") { Content = JsonContent.Create(Ask(agentId, "long", new { stream = true })) };

        // The caller goes away as a client does: it cancels the request (the test server's way of a closed connection).
        using var leave = new CancellationTokenSource();
        var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? conversationId = null;
        var contentChunks = 0;
        while (contentChunks < 3 && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                var chunk = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                conversationId ??= chunk.GetProperty("conversation_id").GetString();
                if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.GetString()!.Length > 0)
                {
                    contentChunks++;
                }
            }
        }

        await leave.CancelAsync();
        response.Dispose();
        reader.Dispose();

        await Upstream.StreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The partial answer is stored once Devana has seen the disconnect; poll for it (a safety-net deadline only).
        JsonElement assistant = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages");
            var found = messages.GetProperty("data").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "assistant").ToList();
            if (found.Count == 1)
            {
                assistant = found[0];
                break;
            }

            await Task.Delay(100);
        }

        assistant.ValueKind.Should().Be(JsonValueKind.Object, "the partial answer is stored");
        assistant.GetProperty("finish_reason").GetString().Should().Be("cancelled");
        assistant.GetProperty("content").GetString().Should().StartWith("w0 w1");
        assistant.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task UpstreamFailure_Returns502_MarksTheTurnFailed_AndARetryWorks()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var first = await caller.CompleteOkAsync(Ask(agentId, "first"));
        var conversationId = first.GetProperty("conversation_id").GetString();
        Upstream.Behavior = _ => new FakeReply([], Status: 500);

        var failed = await caller.CompleteAsync(Ask(agentId, "second", new { conversation_id = conversationId }));

        var error = await failed.ShouldBeErrorAsync(HttpStatusCode.BadGateway, "upstream_error", "upstream_error");
        error.GetProperty("message").GetString().Should().NotContain("sk-fake-upstream-key");
        Upstream.Behavior = FakeOpenAiUpstream.DefaultBehavior;
        await caller.CompleteOkAsync(Ask(agentId, "second again", new { conversation_id = conversationId }));
        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages");
        messages.GetProperty("data").EnumerateArray()
            .Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}:{m.GetProperty("content").GetString()}")
            .Should().Equal(
                "user:completed:first",
                "assistant:completed:fake answer to: first",
                "user:failed:second",
                "user:completed:second again",
                "assistant:completed:fake answer to: second again");
        CompletionTestKit.MessagesOf(Upstream.Requests().Last()).Select(m => m.Content).Should().NotContain("second");
    }

    [Fact]
    public async Task History_WhenItDoesNotFitTheContextWindow_IsTrimmedOldestFirst()
    {
        // fake-tiny: 400-token window. ~340 tokens of history fit beside max_tokens 20, not beside 50.
        var (caller, agentId) = await UserWithAgentAsync(new { name = "Tiny", model = "fake-tiny" });
        Upstream.Behavior = _ => FakeReply.Text("ok");
        var long1 = string.Join(' ', Enumerable.Repeat("alpha", 340));
        var first = await caller.CompleteOkAsync(Ask(agentId, long1, new { max_tokens = 20 }));
        var conversationId = first.GetProperty("conversation_id").GetString();
        await caller.CompleteOkAsync(Ask(agentId, "short two", new { conversation_id = conversationId, max_tokens = 20 }));
        CompletionTestKit.MessagesOf(Upstream.Requests().Last()).Select(m => m.Content).Should().Contain(long1);

        await caller.CompleteOkAsync(Ask(agentId, "short three", new { conversation_id = conversationId, max_tokens = 50 }));

        var sent = CompletionTestKit.MessagesOf(Upstream.Requests().Last()).Select(m => m.Content).ToList();
        sent.Should().NotContain(long1);
        sent.Should().Equal("ok", "short two", "ok", "short three");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using OpenAI.Chat;

namespace Devana.Api.FunctionalTests.Completions.Tools;

public sealed class ToolCallingTests : IClassFixture<ToolsFactory>
{
    private static readonly object s_weatherTool = new
    {
        type = "function",
        function = new
        {
            name = "get_weather",
            description = "The weather in a city.",
            parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
        },
    };

    private readonly ToolsFactory _factory;

    public ToolCallingTests(ToolsFactory factory)
    {
        _factory = factory;
        _factory.Upstreams.Reset();
    }

    private async Task<(TestCaller Caller, string AgentId)> UserWithAgentAsync(string model = "gpt-fake")
    {
        var caller = await _factory.CreateUserAsync();
        var id = await caller.CreateAgentAsync(new { name = "Weather", instructions = "You report the weather.", model });
        return (caller, id);
    }

    private static Dictionary<string, object?> Body(string agentId, object[] messages, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = messages };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }

        return body;
    }

    private static ChatTool WeatherTool() => ChatTool.CreateFunctionTool(
        "get_weather",
        "The weather in a city.",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    [Fact]
    public async Task Sdk_TwoStepToolLoop_CallsTheToolThenAnswersFromItsResult()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var chat = _factory.SdkChatClient(caller, agentId);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() }, ToolChoice = ChatToolChoice.CreateAutoChoice(), AllowParallelToolCalls = false };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);

        first.FinishReason.Should().Be(ChatFinishReason.ToolCalls);
        var call = first.ToolCalls.Should().ContainSingle().Subject;
        call.FunctionName.Should().Be("get_weather");
        call.Id.Should().Be("call_fake1");
        JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString().Should().Be("Paris");

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18°C and sunny"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, options);

        second.FinishReason.Should().Be(ChatFinishReason.Stop);
        second.Content[0].Text.Should().Be("Sunny: 18°C and sunny");
        var sent = _factory.Upstreams.RequestsOf("openai");
        sent[0].GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
        sent[0].GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString().Should().Be("city");
        sent[0].GetProperty("tool_choice").GetString().Should().Be("auto");
        sent[0].GetProperty("parallel_tool_calls").GetBoolean().Should().BeFalse();
        var replayed = sent[1].GetProperty("messages").EnumerateArray().ToList();
        replayed[^2].GetProperty("tool_calls")[0].GetProperty("id").GetString().Should().Be("call_fake1");
        replayed[^1].GetProperty("role").GetString().Should().Be("tool");
        replayed[^1].GetProperty("tool_call_id").GetString().Should().Be("call_fake1");
        second.Usage.InputTokenCount.Should().Be(20, "usage is the upstream's own count");
    }

    [Fact]
    public async Task Http_ToolLoop_ContinuedFromTheStoredConversation_ReplaysTheCallAndStoresEveryTurn()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var first = await caller.CompleteOkAsync(Body(agentId, [new { role = "user", content = "Weather in Paris?" }], new { tools = new[] { s_weatherTool } }));

        var choice = first.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().Should().Be("tool_calls");
        var toolCall = choice.GetProperty("message").GetProperty("tool_calls")[0];
        toolCall.GetProperty("type").GetString().Should().Be("function");
        toolCall.GetProperty("function").GetProperty("arguments").GetString().Should().Be(FakeToolUpstreams.ToolArguments);
        var conversationId = first.GetProperty("conversation_id").GetString()!;
        var callId = toolCall.GetProperty("id").GetString()!;

        var second = await caller.CompleteOkAsync(Body(
            agentId,
            [new { role = "tool", tool_call_id = callId, content = "18°C" }],
            new { conversation_id = conversationId, tools = new[] { s_weatherTool } }));

        second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Sunny: 18°C");
        var replayed = _factory.Upstreams.RequestsOf("openai")[1].GetProperty("messages").EnumerateArray().ToList();
        replayed.Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user", "assistant", "tool");
        replayed[2].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
        replayed[3].GetProperty("tool_call_id").GetString().Should().Be(callId);

        var stored = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages");
        var rows = stored.GetProperty("data").EnumerateArray().ToList();
        rows.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        rows[1].GetProperty("tool_calls")[0].GetProperty("id").GetString().Should().Be(callId);
        rows[1].GetProperty("finish_reason").GetString().Should().Be("tool_calls");
        rows[2].GetProperty("tool_call_id").GetString().Should().Be(callId);
        rows[2].GetProperty("status").GetString().Should().Be("completed");
        rows[3].GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(20);
    }

    [Fact]
    public async Task Sdk_StreamedToolLoop_AssemblesTheCallFromItsDeltas()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var chat = _factory.SdkChatClient(caller, agentId);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        string? id = null, name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                id ??= part.ToolCallId;
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        finish.Should().Be(ChatFinishReason.ToolCalls);
        name.Should().Be("get_weather");
        arguments.ToString().Should().Be(FakeToolUpstreams.ToolArguments);

        var text = new StringBuilder();
        List<ChatMessage> messages =
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall(id!, name!, BinaryData.FromString(arguments.ToString()))]),
            new ToolChatMessage(id!, "rain"),
        ];
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        text.ToString().Should().Be("Sunny: rain");
    }

    [Fact]
    public async Task Http_StreamedToolCall_UsesOpenAisDeltaShape()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var response = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "Weather?" }], new { tools = new[] { s_weatherTool }, stream = true }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        var deltas = data.Where(d => d != "[DONE]")
            .Select(d => JsonDocument.Parse(d).RootElement)
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0])
            .ToList();
        var pieces = deltas.Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _)).Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        pieces.Should().HaveCountGreaterThan(1);
        pieces[0].GetProperty("index").GetInt32().Should().Be(0);
        pieces[0].GetProperty("id").GetString().Should().Be("call_fake1");
        pieces[0].GetProperty("type").GetString().Should().Be("function");
        pieces[0].GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
        pieces.Skip(1).Select(p => p.TryGetProperty("id", out var id) ? id.GetString() : null).Should().OnlyContain(id => id == null);
        pieces.Select(p => p.GetProperty("index").GetInt32()).Should().OnlyContain(index => index == 0);
        string.Concat(pieces.Select(p => p.GetProperty("function").GetProperty("arguments").GetString())).Should().Be(FakeToolUpstreams.ToolArguments);
        deltas.Last().GetProperty("finish_reason").GetString().Should().Be("tool_calls");
    }

    [Theory]
    [InlineData("claude-fake", "anthropic")]
    [InlineData("llama-fake", "ollama")]
    public async Task Http_ToolLoop_WorksThroughEachProvidersAdapter(string llm, string wire)
    {
        var (caller, agentId) = await UserWithAgentAsync(llm);

        var first = await caller.CompleteOkAsync(Body(agentId, [new { role = "user", content = "Weather in Paris?" }], new { tools = new[] { s_weatherTool } }));

        var message = first.GetProperty("choices")[0].GetProperty("message");
        first.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("tool_calls");
        var call = message.GetProperty("tool_calls")[0];
        call.GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
        JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString().Should().Be("Paris");

        var second = await caller.CompleteOkAsync(Body(
            agentId,
            [new { role = "tool", tool_call_id = call.GetProperty("id").GetString(), content = "18°C" }],
            new { conversation_id = first.GetProperty("conversation_id").GetString(), tools = new[] { s_weatherTool } }));

        // OllamaSharp's adapter sends a tool result as the JSON of the whole result ({"CallId", "Result"}): the model reads the result in it.
        second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().StartWith("Sunny: ").And.Contain("18°C");
        var sent = _factory.Upstreams.RequestsOf(wire);
        sent.Should().HaveCount(2);
        if (wire == "anthropic")
        {
            sent[0].GetProperty("tools")[0].GetProperty("input_schema").GetProperty("type").GetString().Should().Be("object");
            var blocks = sent[1].GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").ValueKind == JsonValueKind.Array ? m.GetProperty("content").EnumerateArray() : Enumerable.Empty<JsonElement>()).ToList();
            blocks.Should().Contain(b => b.GetProperty("type").GetString() == "tool_use");
            blocks.Should().Contain(b => b.GetProperty("type").GetString() == "tool_result");
        }
        else
        {
            sent[0].GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
            sent[1].GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).Should().ContainInOrder("user", "assistant", "tool");
        }
    }

    [Fact]
    public async Task EchoLlm_CallsTheToolItIsToldTo_ThenEchoesTheResult()
    {
        var (caller, agentId) = await UserWithAgentAsync("echo");

        var first = await caller.CompleteOkAsync(Body(agentId, [new { role = "user", content = """call get_weather {"city": "Oslo"}""" }], new { tools = new[] { s_weatherTool } }));

        var call = first.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        call.GetProperty("function").GetProperty("name").GetString().Should().Be("get_weather");
        JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString().Should().Be("Oslo");
        first.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().BePositive();

        var second = await caller.CompleteOkAsync(Body(
            agentId,
            [new { role = "tool", tool_call_id = call.GetProperty("id").GetString(), content = "-3°C" }],
            new { conversation_id = first.GetProperty("conversation_id").GetString(), tools = new[] { s_weatherTool }, stream = false }));

        second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: -3°C");
    }

    [Fact]
    public async Task InvalidToolSchema_Is400NamingTheParameters()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var tool = new { type = "function", function = new { name = "get_weather", parameters = new { type = "string" } } };

        var response = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { tools = new[] { tool } }));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "tools[0].function.parameters");
        _factory.Upstreams.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task BadToolName_AndUnknownNamedChoice_Are400()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var badName = new { type = "function", function = new { name = "get weather!" } };

        var named = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { tools = new[] { badName } }));
        var unknownChoice = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { tools = new[] { s_weatherTool }, tool_choice = new { type = "function", function = new { name = "send_mail" } } }));
        var choiceWithoutTools = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { tool_choice = "required" }));

        await named.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "tools[0].function.name");
        await unknownChoice.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "tool_choice.function.name");
        await choiceWithoutTools.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "tool_choice");
    }

    [Fact]
    public async Task ToolMessageAnsweringNoCall_Is400NamingIt()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var response = await caller.CompleteAsync(Body(agentId,
        [
            new { role = "user", content = "Weather?" },
            new { role = "tool", tool_call_id = "call_never_made", content = "18°C" },
        ], new { tools = new[] { s_weatherTool } }));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages[1].tool_call_id");
        error.GetProperty("message").GetString().Should().Contain("call_never_made");
        _factory.Upstreams.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task UnansweredToolCall_FollowedByAUserMessage_Is400()
    {
        var (caller, agentId) = await UserWithAgentAsync("echo");
        var first = await caller.CompleteOkAsync(Body(agentId, [new { role = "user", content = "call get_weather" }], new { tools = new[] { s_weatherTool } }));

        var response = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "never mind" }], new { conversation_id = first.GetProperty("conversation_id").GetString() }));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages[0]");
    }

    [Fact]
    public async Task ToolsToAnLlmWithoutTheCapability_Is400NamingTheLlmAndTheCapability()
    {
        var (caller, agentId) = await UserWithAgentAsync("plain");

        var withTools = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { tools = new[] { s_weatherTool } }));
        var withImage = await caller.CompleteAsync(Body(agentId,
            [new { role = "user", content = new object[] { new { type = "text", text = "What is this?" }, new { type = "image_url", image_url = new { url = "https://example.com/cat.png" } } } }]));

        var error = await withTools.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "unsupported_capability", "tools");
        error.GetProperty("message").GetString().Should().Contain("'plain'").And.Contain("'tools'");
        var imageError = await withImage.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "unsupported_capability", "messages[0].content");
        imageError.GetProperty("message").GetString().Should().Contain("'vision'");
        _factory.Upstreams.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Images_HttpsAndDataUrls_ReachAVisionLlm()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var png = "data:image/png;base64," + Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        var answer = await caller.CompleteOkAsync(Body(agentId,
        [
            new
            {
                role = "user",
                content = new object[]
                {
                    new { type = "text", text = "Compare these." },
                    new { type = "image_url", image_url = new { url = "https://example.com/cat.png", detail = "low" } },
                    new { type = "image_url", image_url = new { url = png } },
                },
            },
        ]));

        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("I see 2 images");
        var parts = _factory.Upstreams.RequestsOf("openai")[0].GetProperty("messages").EnumerateArray().Last().GetProperty("content").EnumerateArray().ToList();
        var urls = parts.Where(p => p.GetProperty("type").GetString() == "image_url").Select(p => p.GetProperty("image_url").GetProperty("url").GetString()).ToList();
        urls.Should().Equal("https://example.com/cat.png", png);
    }

    [Theory]
    [InlineData("http://example.com/cat.png")]
    [InlineData("data:text/plain;base64,aGk=")]
    [InlineData("data:image/png;base64,not base64!")]
    public async Task ImageUrl_NotHttpsOrAnImageDataUrl_Is400(string url)
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var response = await caller.CompleteAsync(Body(agentId,
            [new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url } } } }]));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages[0].content[0].image_url.url");
    }

    [Fact]
    public async Task Sdk_StructuredOutput_PassesTheStrictSchemaAndParses()
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var chat = _factory.SdkChatClient(caller, agentId);
        var schema = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"}},"required":["city","temperature"],"additionalProperties":false}""");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", schema, jsonSchemaIsStrict: true) };

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Weather in Paris as JSON")], options);

        var parsed = JsonDocument.Parse(completion.Content[0].Text).RootElement;
        parsed.GetProperty("city").GetString().Should().Be("Paris");
        parsed.GetProperty("temperature").GetInt32().Should().Be(18);
        var format = _factory.Upstreams.RequestsOf("openai")[0].GetProperty("response_format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        format.GetProperty("json_schema").GetProperty("name").GetString().Should().Be("weather");
        format.GetProperty("json_schema").GetProperty("strict").GetBoolean().Should().BeTrue();
        format.GetProperty("json_schema").GetProperty("schema").GetProperty("required").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task JsonSchemaFormat_WithoutASchemaObject_Is400()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var missing = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { response_format = new { type = "json_schema" } }));
        var notObject = await caller.CompleteAsync(Body(agentId, [new { role = "user", content = "hi" }], new { response_format = new { type = "json_schema", json_schema = new { name = "x", schema = new { type = "object", required = new[] { "y" } } } } }));

        await missing.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "response_format.json_schema");
        await notObject.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "response_format.json_schema.schema");
    }

    [Fact]
    public async Task Llms_ListTheirCapabilities()
    {
        var caller = await _factory.CreateUserAsync();

        var llms = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/llms");

        var byId = llms.GetProperty("data").EnumerateArray().ToDictionary(l => l.GetProperty("id").GetString()!, l => l.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()).ToList());
        byId["gpt-fake"].Should().Equal("tools", "vision");
        byId["llama-fake"].Should().Equal("tools");
        byId["plain"].Should().BeEmpty();
        byId["echo"].Should().Equal("tools", "vision");
    }
}

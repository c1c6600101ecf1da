using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>docs/tools.md: HTTP tools that Devana runs for an agent, against a local tool server.</summary>
public sealed partial class AgentToolsTests : IClassFixture<AgentToolsFactory>
{
    private const string Secret = "Bearer tool-s3cret-value-42";

    private static readonly object s_orderSchema = new { type = "object", properties = new { order_id = new { type = "string" } }, required = new[] { "order_id" } };

    private readonly AgentToolsFactory _factory;

    public AgentToolsTests(AgentToolsFactory factory)
    {
        _factory = factory;
        _factory.Tools.Reset();
        _factory.Upstreams.Reset();
    }

    private string ToolUrl(string path) => _factory.Tools.BaseUrl + path;

    private object HttpTool(string name, string path, string method = "GET", int timeout = 10, object? parameters = null) => new Dictionary<string, object?>
    {
        ["type"] = "http",
        ["name"] = name,
        ["description"] = $"The {name} tool.",
        ["parameters"] = parameters ?? s_orderSchema,
        ["url"] = ToolUrl(path),
        ["method"] = method,
        ["headers"] = new Dictionary<string, string> { ["Authorization"] = Secret },
        ["timeout_seconds"] = timeout,
    };

    private async Task<(TestCaller Caller, string AgentId)> AgentWithAsync(object[] tools, string model = "echo", int? maxToolRounds = null)
    {
        var caller = await _factory.CreateMachineClientAsync();
        var id = await caller.CreateAgentAsync(new Dictionary<string, object?>
        {
            ["name"] = "Orders",
            ["instructions"] = "You look up orders.",
            ["model"] = model,
            ["tools"] = tools,
            ["max_tool_rounds"] = maxToolRounds,
        });
        return (caller, id);
    }

    private static object Ask(string agentId, string text, bool stream = false) => new { model = agentId, messages = new[] { new { role = "user", content = text } }, stream };

    [Fact]
    public async Task CreateAgent_WithHttpTool_ShowsItsSettingsButNeverAHeaderValue()
    {
        var caller = await _factory.CreateMachineClientAsync();

        var created = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Orders", tools = new[] { HttpTool("order_status", "/orders/status") } });
        var createdText = await created.Content.ReadAsStringAsync();
        var id = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetString();
        var read = await caller.Client.GetStringAsync($"/v1/agents/{id}");
        var listed = await caller.Client.GetStringAsync("/v1/agents");

        created.StatusCode.Should().Be(HttpStatusCode.Created, createdText);
        var tool = JsonDocument.Parse(read).RootElement.GetProperty("tools")[0];
        tool.GetProperty("type").GetString().Should().Be("http");
        tool.GetProperty("name").GetString().Should().Be("order_status");
        tool.GetProperty("method").GetString().Should().Be("GET");
        tool.GetProperty("url").GetString().Should().Be(ToolUrl("/orders/status"));
        tool.GetProperty("parameters").GetProperty("required")[0].GetString().Should().Be("order_id");
        tool.GetProperty("timeout_seconds").GetInt32().Should().Be(10);
        tool.GetProperty("requires_confirmation").GetBoolean().Should().BeFalse();
        tool.GetProperty("headers").GetProperty("Authorization").ValueKind.Should().Be(JsonValueKind.Null);
        JsonDocument.Parse(read).RootElement.GetProperty("max_tool_rounds").GetInt32().Should().Be(5);
        foreach (var body in new[] { createdText, read, listed })
        {
            body.Should().NotContain("s3cret");
        }

        // Stored encrypted: the database row holds no trace of the value.
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tools FROM agents WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        stored.Should().Contain("order_status").And.Contain("Authorization").And.NotContain("s3cret");
    }

    [Fact]
    public async Task UpdateAgent_WithNullHeader_KeepsTheStoredSecret()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);
        var tool = (Dictionary<string, object?>)HttpTool("order_status", "/orders/status");
        tool["headers"] = new Dictionary<string, string?> { ["Authorization"] = null };
        tool["description"] = "Renamed.";

        var patched = await caller.Client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { tools = new[] { tool } });
        await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}"""));

        patched.StatusCode.Should().Be(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle().Which.Headers["authorization"].Should().Be(Secret);
    }

    [Fact]
    public async Task UpdateAgent_WithNullHeaderOfANewTool_Is400()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);
        var tool = (Dictionary<string, object?>)HttpTool("other", "/orders/status");
        tool["headers"] = new Dictionary<string, string?> { ["Authorization"] = null };

        var response = await caller.Client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { tools = new[] { tool } });

        await ErrorAssertions.ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "tools[0].headers.Authorization");
    }

    [Theory]
    [InlineData("http://localhost:{port}/orders/status")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.8/internal")]
    [InlineData("https://example.org/orders")]
    public async Task CreateAgent_WithToolOffTheAllowedHosts_Is400HostNotAllowed(string url)
    {
        var caller = await _factory.CreateMachineClientAsync();
        var tool = (Dictionary<string, object?>)HttpTool("order_status", "/orders/status");
        tool["url"] = url.Replace("{port}", new Uri(_factory.Tools.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Orders", tools = new[] { tool } });

        await ErrorAssertions.ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "host_not_allowed", "tools[0].url");
    }

    [Fact]
    public async Task CreateAgent_WithInvalidSchemaOrDuplicateNames_Is400NamingTheField()
    {
        var caller = await _factory.CreateMachineClientAsync();

        var badSchema = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Orders", tools = new[] { HttpTool("order_status", "/orders/status", parameters: new { type = "string" }) } });
        var duplicates = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Orders", tools = new[] { HttpTool("same", "/orders/status"), HttpTool("same", "/fail") } });
        var rounds = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Orders", max_tool_rounds = 0 });

        await ErrorAssertions.ShouldBeErrorAsync(badSchema, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "tools[0].parameters");
        await ErrorAssertions.ShouldBeErrorAsync(duplicates, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "tools");
        await ErrorAssertions.ShouldBeErrorAsync(rounds, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "max_tool_rounds");
    }

    [Fact]
    public async Task GetAgent_SharedWithTheWorkspace_HidesItsToolsFromOthers()
    {
        var owner = await _factory.CreateMachineClientAsync();
        var id = await owner.CreateAgentAsync(new { name = "Orders", visibility = "workspace", tools = new[] { HttpTool("order_status", "/orders/status") } });
        // A machine client is its workspace's admin: a member user is not.
        var member = await _factory.CreateUserAsync(role: "member");

        var seen = await member.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{id}");

        seen.TryGetProperty("tools", out _).Should().BeFalse();
        (await owner.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{id}")).GetProperty("tools").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Complete_RunsTheToolAndAnswersFromItsResult_AndStoresEveryStep()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);

        var answer = await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}"""));

        var choice = answer.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().Should().Be("stop");
        choice.GetProperty("message").TryGetProperty("tool_calls", out _).Should().BeFalse("Devana ran the call; the caller has nothing to answer");
        choice.GetProperty("message").GetProperty("content").GetString().Should().Be("""Echo: {"order_id":"A1","status":"shipped"}""");
        var conversationId = answer.GetProperty("conversation_id").GetString();
        var request = _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle().Subject;
        request.Method.Should().Be("GET");
        request.Query["order_id"].Should().Be("A1");
        request.Headers["authorization"].Should().Be(Secret);
        request.Headers["x-devana-agent-id"].Should().Be(agentId);
        request.Headers["x-devana-conversation-id"].Should().Be(conversationId);
        request.Headers["x-devana-principal-id"].Should().Be(caller.PrincipalId);

        var messages = (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        var call = messages[1].GetProperty("tool_calls")[0];
        call.GetProperty("function").GetProperty("name").GetString().Should().Be("order_status");
        messages[2].GetProperty("tool_call_id").GetString().Should().Be(call.GetProperty("id").GetString());
        messages[2].GetProperty("content").GetString().Should().Be("""{"order_id":"A1","status":"shipped"}""");
        messages[3].GetProperty("content").GetString().Should().Be(choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Complete_WithToolLoop_ContinuesFromTheStoredSteps()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);
        var first = await caller.CompleteOkAsync(Ask(agentId, """call order_status {"order_id":"A1"}"""));
        var conversationId = first.GetProperty("conversation_id").GetString();

        var second = await caller.CompleteOkAsync(new { model = agentId, conversation_id = conversationId, messages = new[] { new { role = "user", content = "thanks" } } });

        second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: thanks");
        var messages = (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant", "user", "assistant");
    }

    [Fact]
    public async Task Complete_UsageIsTheSumOfTheLlmRounds()
    {
        var weather = HttpTool("weather", "/weather", parameters: new { type = "object", properties = new { city = new { type = "string" } } });
        var (caller, agentId) = await AgentWithAsync([weather], model: "gpt-fake");

        var answer = await caller.CompleteOkAsync(Ask(agentId, "Weather in Paris?"));

        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Sunny: 18°C in Paris");
        _factory.Upstreams.RequestsOf("openai").Should().HaveCount(2);
        var usage = answer.GetProperty("usage");
        usage.GetProperty("prompt_tokens").GetInt32().Should().Be(40, "two rounds of 20");
        usage.GetProperty("completion_tokens").GetInt32().Should().Be(10, "two rounds of 5");
        usage.GetProperty("total_tokens").GetInt32().Should().Be(50);
    }

    [Fact]
    public async Task Stream_ToolLoop_TellsTheCallerWhatRunsThenStreamsTheAnswer()
    {
        var weather = HttpTool("weather", "/weather", parameters: new { type = "object", properties = new { city = new { type = "string" } } });
        var (caller, agentId) = await AgentWithAsync([weather], model: "gpt-fake");

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = "Weather in Paris?" } }, stream = true, stream_options = new { include_usage = true } });
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var chunks = data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        var progress = chunks.Where(c => c.TryGetProperty("devana", out _)).Select(c => c.GetProperty("devana").GetProperty("tool_call")).ToList();
        progress.Select(p => p.GetProperty("status").GetString()).Should().Equal("running", "completed");
        progress.Should().AllSatisfy(p => p.GetProperty("name").GetString().Should().Be("weather"));
        progress[0].GetProperty("arguments").GetString().Should().Be("""{"city":"Paris"}""");
        progress[1].GetProperty("duration_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Where(ch => ch.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Should().BeEmpty("the agent's calls are Devana's to run, not the caller's to answer");
        var text = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null));
        text.Should().Be("Sunny: 18°C in Paris");
        chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Last(ch => ch.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            .GetProperty("finish_reason").GetString().Should().Be("stop");
        chunks.Last().GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(40);

        var conversationId = chunks[0].GetProperty("conversation_id").GetString();
        var messages = (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        messages[2].GetProperty("content").GetString().Should().Be("18°C in Paris");
    }

    [Fact]
    public async Task Complete_WhenTheLlmKeepsCallingTools_StopsAfterMaxToolRoundsAndAsksWithoutTools()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("weather", "/weather?city=Paris", parameters: new { type = "object", properties = new { } })], model: "looper", maxToolRounds: 2);

        var answer = await caller.CompleteOkAsync(Ask(agentId, "Loop forever"));

        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("gave up after 2 results");
        answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        _factory.Tools.RequestsTo("/weather").Should().HaveCount(2);
        var llmCalls = _factory.Tools.RequestsTo(LocalToolServer.LlmPath);
        llmCalls.Should().HaveCount(3);
        JsonDocument.Parse(llmCalls[^1].Body).RootElement.TryGetProperty("tools", out _).Should().BeFalse("the last round is asked without tools");
        answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(30, "three LLM rounds of 10");
    }

    [Fact]
    public async Task Complete_WithTwoCallsAtOnce_RunsThemInParallel()
    {
        var schema = new { type = "object", properties = new { } };
        var (caller, agentId) = await AgentWithAsync([HttpTool("first", "/parallel/first", "POST", timeout: 60, parameters: schema), HttpTool("second", "/parallel/second", "POST", timeout: 60, parameters: schema)]);

        var answer = await caller.CompleteOkAsync(Ask(agentId, "call first {}\ncall second {}"));

        // Each tool answers only once the other has been called: run one after the other, they would time out.
        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: first done second done");
    }

    [Theory]
    [InlineData("/fail", "answered HTTP 500")]
    [InlineData("/big", "more than 65536 bytes")]
    [InlineData("/redirect", "not-allowed.invalid")]
    public async Task Complete_WhenTheToolFails_TheLlmReadsTheErrorAsTheResult(string path, string error)
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("broken", path, parameters: new { type = "object", properties = new { } })]);

        var answer = await caller.CompleteOkAsync(Ask(agentId, "call broken {}"));

        var content = answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        content.Should().StartWith("Echo: {\"error\":").And.Contain(error);
        _factory.Tools.Requests.Should().NotContain(r => r.Path == "/steal");
    }

    [Fact]
    public async Task Complete_WhenTheToolDoesNotAnswerInTime_TheLlmReadsATimeout()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("slow", "/slow", timeout: 1, parameters: new { type = "object", properties = new { } })]);

        var answer = await caller.CompleteOkAsync(Ask(agentId, "call slow {}"));

        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Contain("did not answer within 1 s");
    }

    [Fact]
    public async Task Complete_WhenTheToolAnswersTooMuchText_CutsItToTheTokenCap()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("long", "/long", parameters: new { type = "object", properties = new { } })]);

        var answer = await caller.CompleteOkAsync(Ask(agentId, "call long {}"));

        var content = answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        content.Should().StartWith("Echo: word0 word1").And.EndWith("[truncated: the tool's answer was longer than 50 tokens]");
        content.Should().NotContain("word399");
    }

    [Fact]
    public async Task Complete_WhenTheToolRepeatsItsSecret_NoResponseMessageOrLogHoldsIt()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("echo_tool", "/echo", "POST", parameters: new { type = "object", properties = new { q = new { type = "string" } } })]);

        var answer = await caller.CompleteAsync(Ask(agentId, """call echo_tool {"q":"hello"}"""));
        var text = await answer.Content.ReadAsStringAsync();
        var conversationId = JsonDocument.Parse(text).RootElement.GetProperty("conversation_id").GetString();
        var stored = await caller.Client.GetStringAsync($"/v1/conversations/{conversationId}/messages");
        var streamed = await caller.CompleteAsync(Ask(agentId, """call echo_tool {"q":"again"}""", stream: true));
        var streamedText = await streamed.Content.ReadAsStringAsync();

        _factory.Tools.RequestsTo("/echo").Should().HaveCount(2).And.AllSatisfy(r => r.Headers["authorization"].Should().Be(Secret));
        JsonDocument.Parse(_factory.Tools.RequestsTo("/echo")[0].Body).RootElement.GetProperty("q").GetString().Should().Be("hello");
        text.Should().Contain("[redacted]").And.NotContain("s3cret");
        stored.Should().Contain("[redacted]").And.NotContain("s3cret");
        streamedText.Should().NotContain("s3cret");
        _factory.Logs.Should().NotContain(line => line.Contains("s3cret", StringComparison.Ordinal));
        _factory.Logs.Should().Contain(line => line.StartsWith("Tool echo_tool called: HTTP 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complete_WithTheCallersToolsBesideTheAgents_HandsBackACallOfTheCallersFunction()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);
        var clientTool = new { type = "function", function = new { name = "get_time", parameters = new { type = "object", properties = new { } } } };

        var handedBack = await caller.CompleteOkAsync(new { model = agentId, tools = new[] { clientTool }, messages = new[] { new { role = "user", content = "call get_time {}" } } });
        var ran = await caller.CompleteOkAsync(new { model = agentId, tools = new[] { clientTool }, messages = new[] { new { role = "user", content = """call order_status {"order_id":"A1"}""" } } });
        var clash = await caller.CompleteAsync(new { model = agentId, tools = new[] { new { type = "function", function = new { name = "order_status" } } }, messages = new[] { new { role = "user", content = "hi" } } });

        var choice = handedBack.GetProperty("choices")[0];
        choice.GetProperty("finish_reason").GetString().Should().Be("tool_calls");
        choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("function").GetProperty("name").GetString()).Should().Equal("get_time");
        ran.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Contain("shipped");
        _factory.Tools.RequestsTo("/orders/status").Should().ContainSingle();
        await ErrorAssertions.ShouldBeErrorAsync(clash, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "tools[0].function.name");
    }

    [Fact]
    public async Task Complete_WithTheCallersToolsBesideTheAgents_OffersBothOneCallPerTurn()
    {
        var weather = HttpTool("weather", "/weather", parameters: new { type = "object", properties = new { city = new { type = "string" } } });
        var (caller, agentId) = await AgentWithAsync([weather], model: "gpt-fake");
        var clientTool = new { type = "function", function = new { name = "get_time", parameters = new { type = "object", properties = new { } } } };

        await caller.CompleteOkAsync(new { model = agentId, tools = new[] { clientTool }, messages = new[] { new { role = "user", content = "Weather in Paris?" } } });

        var sent = _factory.Upstreams.RequestsOf("openai")[0];
        sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).Should().Equal("weather", "get_time");
        sent.GetProperty("parallel_tool_calls").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Complete_WithAgentToolsAndNAbove1_Is400()
    {
        var (caller, agentId) = await AgentWithAsync([HttpTool("order_status", "/orders/status")]);

        var response = await caller.CompleteAsync(new { model = agentId, n = 2, messages = new[] { new { role = "user", content = "hi" } } });

        await ErrorAssertions.ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "n");
    }
}

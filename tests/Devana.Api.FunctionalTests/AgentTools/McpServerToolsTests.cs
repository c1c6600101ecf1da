using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.AgentTools;

/// <summary>docs/tools.md: an agent's MCP servers, against npm's server-everything over Streamable HTTP on loopback.</summary>
public sealed class McpServerToolsTests : IClassFixture<AgentToolsFactory>
{
    private const string Secret = "Bearer mcp-s3cret-value-7";

    private readonly AgentToolsFactory _factory;

    public McpServerToolsTests(AgentToolsFactory factory)
    {
        _factory = factory;
        _factory.Upstreams.Reset();
    }

    private object Server(string? url = null, string[]? allowedTools = null) => new Dictionary<string, object?>
    {
        ["name"] = "everything",
        ["url"] = url ?? _factory.Mcp.Url,
        ["headers"] = new Dictionary<string, string> { ["Authorization"] = Secret },
        ["allowed_tools"] = allowedTools ?? ["echo", "get-sum"],
    };

    private async Task<(TestCaller Caller, string AgentId)> AgentWithAsync(object server, string model = "echo")
    {
        var caller = await _factory.CreateMachineClientAsync();
        var id = await caller.CreateAgentAsync(new Dictionary<string, object?> { ["name"] = "Everything", ["model"] = model, ["mcp_servers"] = new[] { server } });
        return (caller, id);
    }

    [SkippableFact]
    public async Task Complete_WithMcpServer_CallsItsToolAndStoresTheCall()
    {
        Skip.If(_factory.Mcp.SkipReason is not null, _factory.Mcp.SkipReason);
        var (caller, agentId) = await AgentWithAsync(Server());

        var answer = await caller.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = """call echo {"message":"hello MCP"}""" } } });

        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Echo: Echo: hello MCP");
        var conversationId = answer.GetProperty("conversation_id").GetString();
        var messages = (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "tool", "assistant");
        messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString().Should().Be("echo");
        messages[2].GetProperty("content").GetString().Should().Be("Echo: hello MCP");
        _factory.Logs.Should().Contain(line => line.StartsWith("MCP tool everything/echo called: succeeded True", StringComparison.Ordinal));
        _factory.Logs.Should().NotContain(line => line.Contains("s3cret", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Stream_WithMcpServer_ReportsTheCallThenTheAnswer()
    {
        Skip.If(_factory.Mcp.SkipReason is not null, _factory.Mcp.SkipReason);
        var (caller, agentId) = await AgentWithAsync(Server());

        var response = await caller.CompleteAsync(new { model = agentId, stream = true, messages = new[] { new { role = "user", content = """call get-sum {"a":2,"b":3}""" } } });
        var (data, _) = await CompletionTestKit.ReadSseAsync(response);

        var chunks = data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        var progress = chunks.Where(c => c.TryGetProperty("devana", out _)).Select(c => c.GetProperty("devana").GetProperty("tool_call")).ToList();
        progress.Select(p => (p.GetProperty("name").GetString(), p.GetProperty("status").GetString())).Should().Equal(("get-sum", "running"), ("get-sum", "completed"));
        var text = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null));
        text.Should().StartWith("Echo: ").And.Contain("5");
    }

    [SkippableFact]
    public async Task Complete_OffersOnlyTheAllowedToolsOfTheServer()
    {
        Skip.If(_factory.Mcp.SkipReason is not null, _factory.Mcp.SkipReason);
        var (caller, agentId) = await AgentWithAsync(Server(allowedTools: ["get-sum"]), model: "gpt-fake");

        await caller.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = "What is 2 + 3?" } } });

        var sent = _factory.Upstreams.RequestsOf("openai")[0];
        var offered = sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function")).ToList();
        offered.Select(f => f.GetProperty("name").GetString()).Should().Equal("get-sum");
        offered[0].GetProperty("parameters").GetProperty("properties").TryGetProperty("a", out _).Should().BeTrue("the server's own schema is offered");
    }

    [SkippableFact]
    public async Task GetAgent_ShowsTheServerButNeverItsHeaderValue()
    {
        Skip.If(_factory.Mcp.SkipReason is not null, _factory.Mcp.SkipReason);
        var (caller, agentId) = await AgentWithAsync(Server());

        var text = await caller.Client.GetStringAsync($"/v1/agents/{agentId}");

        var server = JsonDocument.Parse(text).RootElement.GetProperty("mcp_servers")[0];
        server.GetProperty("name").GetString().Should().Be("everything");
        server.GetProperty("url").GetString().Should().Be(_factory.Mcp.Url);
        server.GetProperty("allowed_tools").EnumerateArray().Select(t => t.GetString()).Should().Equal("echo", "get-sum");
        server.GetProperty("headers").GetProperty("Authorization").ValueKind.Should().Be(JsonValueKind.Null);
        text.Should().NotContain("s3cret");
    }

    [Fact]
    public async Task Complete_WhenTheMcpServerIsUnreachable_Is502NamingIt()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var (caller, agentId) = await AgentWithAsync(Server(url: $"http://127.0.0.1:{port}/mcp"));

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = "hi" } } });

        var error = await ErrorAssertions.ShouldBeErrorAsync(response, HttpStatusCode.BadGateway, "upstream_error", "upstream_error");
        error.GetProperty("message").GetString().Should().Contain("MCP server 'everything'").And.Contain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task CreateAgent_WithMcpServerOffTheAllowedHosts_Is400HostNotAllowed()
    {
        var caller = await _factory.CreateMachineClientAsync();

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Everything", mcp_servers = new[] { Server(url: "http://localhost:3001/mcp") } });
        var duplicate = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Everything", mcp_servers = new[] { Server(url: "http://127.0.0.1:1/mcp"), Server(url: "http://127.0.0.1:2/mcp") } });

        await ErrorAssertions.ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "host_not_allowed", "mcp_servers[0].url");
        await ErrorAssertions.ShouldBeErrorAsync(duplicate, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "mcp_servers");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Completions.Tools;

public sealed class SamplingParametersTests : IClassFixture<ToolsFactory>
{
    private readonly ToolsFactory _factory;

    public SamplingParametersTests(ToolsFactory factory)
    {
        _factory = factory;
        _factory.Upstreams.Reset();
    }

    private async Task<(TestCaller Caller, string AgentId)> UserWithAgentAsync(string model = "gpt-fake", string? workspace = null)
    {
        var caller = workspace is null ? await _factory.CreateUserAsync() : await _factory.CreateUserAsync(workspace);
        var id = await caller.CreateAgentAsync(new { name = "Sampler", model });
        return (caller, id);
    }

    private static Dictionary<string, object?> Ask(string agentId, object extra)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = new[] { new { role = "user", content = "hello there" } } };
        foreach (var property in extra.GetType().GetProperties())
        {
            body[property.Name] = property.GetValue(extra);
        }

        return body;
    }

    [Fact]
    public async Task SamplingParameters_ReachTheOpenAiUpstream()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        await caller.CompleteOkAsync(Ask(agentId, new { seed = 42, frequency_penalty = 0.5, presence_penalty = -1.5, reasoning_effort = "minimal", user = "end-user-7" }));

        var sent = _factory.Upstreams.RequestsOf("openai").Single();
        sent.GetProperty("seed").GetInt64().Should().Be(42);
        sent.GetProperty("frequency_penalty").GetDouble().Should().BeApproximately(0.5, 1e-6);
        sent.GetProperty("presence_penalty").GetDouble().Should().BeApproximately(-1.5, 1e-6);
        sent.GetProperty("reasoning_effort").GetString().Should().Be("minimal");
        sent.GetProperty("user").GetString().Should().Be("end-user-7");
    }

    [Fact]
    public async Task Logprobs_AreReturnedInOpenAisShape()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var answer = await caller.CompleteOkAsync(Ask(agentId, new { logprobs = true, top_logprobs = 2 }));

        var sent = _factory.Upstreams.RequestsOf("openai").Single();
        sent.GetProperty("logprobs").GetBoolean().Should().BeTrue();
        sent.GetProperty("top_logprobs").GetInt32().Should().Be(2);
        var content = answer.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        content.Select(c => c.GetProperty("token").GetString()).Should().Equal("plain", "answer");
        content[0].GetProperty("logprob").GetDouble().Should().Be(-0.5);
        content[0].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()).Should().Equal("plain"u8.ToArray().Select(b => (int)b));
        content[1].GetProperty("top_logprobs").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task WithoutLogprobs_NoLogprobsAreSentOrReturned()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var answer = await caller.CompleteOkAsync(Ask(agentId, new { temperature = 0.2 }));

        _factory.Upstreams.RequestsOf("openai").Single().TryGetProperty("logprobs", out _).Should().BeFalse();
        answer.GetProperty("choices")[0].TryGetProperty("logprobs", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("frequency_penalty", 2.5, "frequency_penalty")]
    [InlineData("presence_penalty", -2.01, "presence_penalty")]
    [InlineData("top_logprobs", 21, "top_logprobs")]
    [InlineData("reasoning_effort", "extreme", "reasoning_effort")]
    [InlineData("user", "", "user")]
    [InlineData("seed", "abc", "seed")]
    public async Task OutOfRangeValues_Are400NamingTheField(string field, object value, string param)
    {
        var (caller, agentId) = await UserWithAgentAsync();
        var body = Ask(agentId, new { logprobs = true });
        body[field] = value;

        var response = await caller.CompleteAsync(body);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
        _factory.Upstreams.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task TopLogprobs_WithoutLogprobs_Is400()
    {
        var (caller, agentId) = await UserWithAgentAsync();

        var response = await caller.CompleteAsync(Ask(agentId, new { top_logprobs = 3 }));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "top_logprobs");
    }

    [Fact]
    public async Task User_IsOnTheLedger_AndTheUsageReportGroupsByIt()
    {
        var workspace = $"ws-{Guid.NewGuid():N}"[..20];
        var (caller, agentId) = await UserWithAgentAsync("echo", workspace);
        var admin = await _factory.CreateUserAsync(workspace, role: "admin");

        await caller.CompleteOkAsync(Ask(agentId, new { user = "alice" }));
        await caller.CompleteOkAsync(Ask(agentId, new { user = "alice" }));
        await caller.CompleteOkAsync(Ask(agentId, new { user = "bob" }));
        await caller.CompleteOkAsync(Ask(agentId, new { max_tokens = 50 }));

        var report = await admin.Client.GetFromJsonAsync<JsonElement>("/v1/usage/report?group_by=end_user");

        report.GetProperty("group_by").GetString().Should().Be("end_user");
        var rows = report.GetProperty("data").EnumerateArray().ToDictionary(r => r.GetProperty("group").GetString() ?? "(none)", r => r.GetProperty("requests").GetInt64());
        rows.Should().BeEquivalentTo(new Dictionary<string, long> { ["alice"] = 2, ["bob"] = 1, ["(none)"] = 1 });
    }
}

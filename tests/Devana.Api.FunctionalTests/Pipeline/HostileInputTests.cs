using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Files;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Pipeline;

/// <summary>
/// Inputs that used to crash (500) or slip through (2xx) and must be 400s in the contract's envelope, and
/// bodies without a JSON <c>Content-Type</c>, which must be 415s in the same envelope on every endpoint.
/// </summary>
public sealed class HostileInputTests(CompletionsFactory factory) : IClassFixture<CompletionsFactory>
{
    private async Task<(TestCaller Caller, string AgentId)> SetupAsync()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Target" });
        return (caller, agentId);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static TheoryData<string, string, string, string> NullElements() => new()
    {
        { "/v1/chat/completions", """{"model":"{agent}","messages":[null]}""", "messages[0]", "messages[0] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[null]}""", "messages[0]", "messages[0] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"user","content":"hi"},null]}""", "messages[1]", "messages[1] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"assistant","content":null,"tool_calls":[null]},{"role":"user","content":"hi"}]}""", "messages[0].tool_calls[0]", "messages[0].tool_calls[0] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"tools":[null]}""", "tools[0]", "tools[0] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"files":[null]}""", "files[0]", "files[0] must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"metadata":{"k":null}}""", "metadata.k", "metadata.k must not be null." },
        { "/completions", """{"model":"{agent}","messages":[{"role":"user","content":[null]}]}""", "messages[0].content", "messages[0].content must hold only {\"type\": \"text\", \"text\": \"…\"} and {\"type\": \"image_url\", \"image_url\": {\"url\": \"…\"}} parts; part 0 is null." },
    };

    [Theory]
    [MemberData(nameof(NullElements))]
    public async Task NullWhereAnElementIsDue_Is400NamingTheField_AndStoresNothing(string path, string body, string param, string message)
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.Client.PostAsync(path, Json(body.Replace("{agent}", agentId, StringComparison.Ordinal)));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", param);
        error.GetProperty("message").GetString().Should().Be(message);
        (await caller.Client.GetFromJsonAsync<JsonElement>("/v1/conversations")).GetProperty("data").GetArrayLength().Should().Be(0);
    }

    public static TheoryData<string, object, string, string> WrongButAccepted() => new()
    {
        { "empty conversation_id", new { conversation_id = "" }, "invalid_value", "conversation_id" },
        { "empty response_format", new { response_format = new { } }, "missing_required_parameter", "response_format.type" },
        { "null response_format.type", new { response_format = new { type = (string?)null } }, "missing_required_parameter", "response_format.type" },
    };

    [Theory]
    [MemberData(nameof(WrongButAccepted))]
    public async Task CompletionFieldThatWasSilentlyAccepted_Is400(string because, object extra, string code, string param)
    {
        var (caller, agentId) = await SetupAsync();
        var body = JsonSerializer.SerializeToNode(new { model = agentId, messages = new[] { new { role = "user", content = "hi" } } })!.AsObject();
        foreach (var field in JsonSerializer.SerializeToNode(extra)!.AsObject())
        {
            body[field.Key] = field.Value?.DeepClone();
        }

        var response = await caller.Client.PostAsync("/completions", Json(body.ToJsonString()));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", code, param);
        (await caller.Client.GetFromJsonAsync<JsonElement>("/v1/conversations")).GetProperty("data").GetArrayLength().Should().Be(0, because);
    }

    [Fact]
    public async Task UserMessageWithNoContentParts_Is400_AndNothingIsSentOrCounted()
    {
        var (caller, agentId) = await SetupAsync();

        var parts = await caller.Client.PostAsync("/completions", Json($$"""{"model":"{{agentId}}","messages":[{"role":"user","content":[]}]}"""));
        var empty = await caller.Client.PostAsync("/completions", Json($$"""{"model":"{{agentId}}","messages":[{"role":"user","content":""}]}"""));

        await parts.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "messages[0].content");
        await empty.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "messages[0].content");
        var usage = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/usage");
        Quotas.QuotaTestKit.Counter(usage, "principal", "requests_per_day").GetProperty("used").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task AgentIdInTheBody_MustBeThePathsId()
    {
        var (caller, agentId) = await SetupAsync();

        var patchOther = await caller.Client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { id = "other", name = "Renamed" });
        var putOther = await caller.Client.PutAsJsonAsync($"/v1/agents/{agentId}", new { id = "other", name = "Renamed" });
        var patchSame = await caller.Client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { id = agentId, name = "Renamed" });

        await patchOther.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "id");
        await putOther.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "id");
        patchSame.StatusCode.Should().Be(HttpStatusCode.OK);
        (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}")).GetProperty("name").GetString().Should().Be("Renamed");
        (await caller.Client.GetAsync("/v1/agents/other")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("after=garbage", "after")]
    public async Task ModelsList_WithABadLimitOrCursor_Is400(string query, string param)
    {
        var (caller, _) = await SetupAsync();

        var response = await caller.Client.GetAsync($"/v1/models?{query}");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
    }

    [Fact]
    public async Task ModelsList_PagesWithLimitAndAfter_AndListsAllWithout()
    {
        var caller = await factory.CreateUserAsync(workspace: "models-paging");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await caller.CreateAgentAsync(new { name = $"Agent {i}" }));
        }

        var all = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        var page1 = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/models?limit=2");
        var page2 = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/models?limit=2&after={page1.GetProperty("next_cursor").GetString()}");

        all.GetProperty("data").GetArrayLength().Should().Be(3);
        all.GetProperty("has_more").GetBoolean().Should().BeFalse();
        page1.GetProperty("data").GetArrayLength().Should().Be(2);
        page1.GetProperty("has_more").GetBoolean().Should().BeTrue();
        page2.GetProperty("data").GetArrayLength().Should().Be(1);
        page2.GetProperty("has_more").GetBoolean().Should().BeFalse();
        page1.GetProperty("data").EnumerateArray().Concat(page2.GetProperty("data").EnumerateArray())
            .Select(m => m.GetProperty("id").GetString()).Should().BeEquivalentTo(ids);
    }

    [Theory]
    [InlineData("\"x\"", "file_ids")]
    [InlineData("[null]", "file_ids[0]")]
    [InlineData("[\"\"]", "file_ids")]
    [InlineData("[\"file_doesnotexist\"]", "file_ids")]
    public async Task CreateAgent_WithBadFileIds_Is400NamingThem_AndCreatesNothing(string fileIds, string param)
    {
        var caller = await factory.CreateUserAsync(workspace: "bad-file-ids-" + Guid.NewGuid().ToString("N")[..8]);

        var response = await caller.Client.PostAsync("/v1/agents", Json($$"""{"id":"with-files","name":"With files","file_ids":{{fileIds}}}"""));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
        (await caller.Client.GetAsync("/v1/agents/with-files")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateAgent_WithFileIds_MakesThemItsKnowledge()
    {
        var caller = await factory.CreateUserAsync();
        var upload = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("facts.txt", Encoding.UTF8.GetBytes("The office cat is Marmalade."), "text/plain"));
        var fileId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Knows files", file_ids = new[] { fileId, fileId } });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("file_ids").EnumerateArray().Select(f => f.GetString()).Should().Equal(fileId);
    }

    public static TheoryData<string, string> BodyEndpoints() => new()
    {
        { "POST", "/v1/agents" },
        { "POST", "/v1/clients" },
        { "POST", "/v1/agents/{agent}/files" },
        { "PUT", "/v1/quotas/workspace" },
        { "PUT", "/v1/quotas/agents/{agent}" },
        { "PATCH", "/v1/agents/{agent}" },
        { "PUT", "/v1/agents/{agent}" },
        { "PATCH", "/v1/conversations/{conversation}" },
        { "POST", "/v1/chat/completions" },
        { "POST", "/completions" },
        { "POST", "/v1/users" },
    };

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task BodyWithoutJsonContentType_Is415InTheEnvelope(string method, string path)
    {
        var admin = await factory.CreateUserAsync(role: "admin");
        var agentId = await admin.CreateAgentAsync(new { name = "Admin's" });
        var conversationId = (await admin.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = "hi" } } })).GetProperty("conversation_id").GetString()!;
        var url = path.Replace("{agent}", agentId, StringComparison.Ordinal).Replace("{conversation}", conversationId, StringComparison.Ordinal);

        var bodiless = await admin.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        var plain = await admin.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("{}", Encoding.UTF8, "text/plain") });

        await bodiless.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error");
        await plain.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error");
    }
}

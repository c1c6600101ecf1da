using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Conversations;

public sealed class ConversationsTests(CompletionsFactory factory) : IClassFixture<CompletionsFactory>
{
    private static object Ask(string agentId, string text, string? conversationId = null) => new
    {
        model = agentId,
        messages = new[] { new { role = "user", content = text } },
        conversation_id = conversationId,
    };

    private static async Task<string> StartConversationAsync(TestCaller caller, string agentId, string text) =>
        (await caller.CompleteOkAsync(Ask(agentId, text))).GetProperty("conversation_id").GetString()!;

    [Fact]
    public async Task Get_ReturnsTheContractObjectWithTitleFromTheFirstTurn()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Helper" });
        var id = await StartConversationAsync(caller, agentId, "How do refunds work?");

        var conversation = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{id}");

        conversation.GetProperty("object").GetString().Should().Be("conversation");
        conversation.GetProperty("agent_id").GetString().Should().Be(agentId);
        conversation.GetProperty("title").GetString().Should().Be("How do refunds work?");
        conversation.GetProperty("message_count").GetInt32().Should().Be(2);
        conversation.GetProperty("created_at").GetInt64().Should().BeGreaterThan(1_700_000_000);
    }

    [Fact]
    public async Task Messages_AreOldestFirstWithUsageAndLatency()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Helper" });
        var id = await StartConversationAsync(caller, agentId, "one");
        await caller.CompleteOkAsync(Ask(agentId, "two", id));

        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{id}/messages");

        var data = messages.GetProperty("data").EnumerateArray().ToList();
        data.Select(m => m.GetProperty("role").GetString()).Should().Equal("user", "assistant", "user", "assistant");
        data[0].GetProperty("content").GetString().Should().Be("one");
        var answer = data[1];
        answer.GetProperty("object").GetString().Should().Be("message");
        answer.GetProperty("client_model").GetString().Should().Be("echo");
        answer.GetProperty("finish_reason").GetString().Should().Be("stop");
        answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().BeGreaterThan(0);
        answer.GetProperty("latency_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersOwn_NewestFirst_WithPagingAndAgentFilter()
    {
        var caller = await factory.CreateUserAsync();
        var agentA = await caller.CreateAgentAsync(new { name = "A" });
        var agentB = await caller.CreateAgentAsync(new { name = "B" });
        var first = await StartConversationAsync(caller, agentA, "first");
        var second = await StartConversationAsync(caller, agentB, "second");
        var third = await StartConversationAsync(caller, agentA, "third");
        var other = await factory.CreateUserAsync();
        await StartConversationAsync(other, await other.CreateAgentAsync(new { name = "O" }), "not yours");

        var page1 = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/conversations?limit=2");
        var page2 = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations?limit=2&after={page1.GetProperty("next_cursor").GetString()}");
        var filtered = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations?agent_id={agentA}");

        page1.GetProperty("object").GetString().Should().Be("list");
        page1.GetProperty("has_more").GetBoolean().Should().BeTrue();
        page1.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Equal(third, second);
        page2.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Equal(first);
        page2.GetProperty("has_more").GetBoolean().Should().BeFalse();
        page2.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.Null);
        filtered.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Equal(third, first);
    }

    [Fact]
    public async Task OthersConversation_Is404ForAMember_ButVisibleToAWorkspaceAdmin()
    {
        var owner = await factory.CreateUserAsync();
        var id = await StartConversationAsync(owner, await owner.CreateAgentAsync(new { name = "Mine" }), "private talk");
        var member = await factory.CreateUserAsync();
        var admin = await factory.CreateUserAsync(role: "admin");
        var stranger = await factory.CreateUserAsync(workspace: "elsewhere", role: "admin");

        var asMember = await member.Client.GetAsync($"/v1/conversations/{id}");
        var asAdmin = await admin.Client.GetAsync($"/v1/conversations/{id}");
        var asStranger = await stranger.Client.GetAsync($"/v1/conversations/{id}");

        await asMember.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
        asAdmin.StatusCode.Should().Be(HttpStatusCode.OK);
        await asStranger.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
    }

    [Fact]
    public async Task Patch_ChangesTitleAndMetadata_AndRejectsBadValues()
    {
        var caller = await factory.CreateUserAsync();
        var id = await StartConversationAsync(caller, await caller.CreateAgentAsync(new { name = "P" }), "original");

        var patched = await caller.Client.PatchAsJsonAsync($"/v1/conversations/{id}", new { title = "Renamed", metadata = new Dictionary<string, string> { ["ticket"] = "T-1" } });
        var blank = await caller.Client.PatchAsJsonAsync($"/v1/conversations/{id}", new { title = " " });
        var tooMany = await caller.Client.PatchAsJsonAsync($"/v1/conversations/{id}", new { metadata = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", _ => "v") });
        var wrongType = await caller.Client.PatchAsJsonAsync($"/v1/conversations/{id}", new { metadata = new { ticket = 5 } });

        var body = await patched.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("title").GetString().Should().Be("Renamed");
        body.GetProperty("metadata").GetProperty("ticket").GetString().Should().Be("T-1");
        await blank.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "title");
        await tooMany.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "metadata");
        await wrongType.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Fact]
    public async Task Delete_HidesTheConversation()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "D" });
        var id = await StartConversationAsync(caller, agentId, "to delete");

        var deleted = await caller.Client.DeleteAsync($"/v1/conversations/{id}");
        var get = await caller.Client.GetAsync($"/v1/conversations/{id}");
        var list = await caller.Client.GetFromJsonAsync<JsonElement>("/v1/conversations");
        var continued = await caller.CompleteAsync(Ask(agentId, "more", id));

        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("id").GetString().Should().Be(id);
        body.GetProperty("object").GetString().Should().Be("conversation");
        body.GetProperty("deleted").GetBoolean().Should().BeTrue();
        await get.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
        list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().NotContain(id);
        await continued.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
    }

    [Fact]
    public async Task DeletedAgent_KeepsItsConversationsReadable()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Gone soon" });
        var id = await StartConversationAsync(caller, agentId, "remember me");

        (await caller.Client.DeleteAsync($"/v1/agents/{agentId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{id}/messages");
        messages.GetProperty("data").GetArrayLength().Should().Be(2);
        var completion = await caller.CompleteAsync(Ask(agentId, "again", id));
        await completion.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
    }

    [Fact]
    public async Task List_WithBadLimitOrCursor_Is400()
    {
        var caller = await factory.CreateUserAsync();

        await (await caller.Client.GetAsync("/v1/conversations?limit=0")).ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "limit");
        await (await caller.Client.GetAsync("/v1/conversations?after=garbage")).ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "after");
        await (await caller.Client.GetAsync("/v1/conversations?limit=abc")).ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "limit");
    }

    [Fact]
    public async Task AgentConversations_ListTheCallersConversationsWithThatAgent()
    {
        var caller = await factory.CreateUserAsync();
        var agentA = await caller.CreateAgentAsync(new { name = "A" });
        var agentB = await caller.CreateAgentAsync(new { name = "B" });
        var withA = await StartConversationAsync(caller, agentA, "to A");
        await StartConversationAsync(caller, agentB, "to B");
        var colleague = await factory.CreateUserAsync();

        var list = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentA}/conversations");
        var unknown = await caller.Client.GetAsync("/v1/agents/no-such-agent/conversations");
        var notTheirs = await colleague.Client.GetAsync($"/v1/agents/{agentA}/conversations");

        list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Equal(withA);
        await unknown.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await notTheirs.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
    }
}

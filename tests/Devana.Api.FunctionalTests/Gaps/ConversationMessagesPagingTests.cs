using System.Net;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Gaps;

/// <summary>
/// <c>GET /v1/conversations/{id}/messages?limit=&amp;after=</c> as docs/api.md#paging says: oldest first, pages of
/// <c>limit</c> (1–100, default 20), <c>next_cursor</c> for <c>after</c>, <c>has_more</c> until the last page.
/// </summary>
public sealed class ConversationMessagesPagingTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private async Task<(TestCaller Caller, string ConversationId)> ConversationOfThreeTurnsAsync()
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Pager", model = "echo" });
        var first = await caller.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = "one" } } });
        var conversationId = first.GetProperty("conversation_id").GetString()!;
        foreach (var text in new[] { "two", "three" })
        {
            await caller.CompleteOkAsync(new { model = agentId, conversation_id = conversationId, messages = new[] { new { role = "user", content = text } } });
        }

        return (caller, conversationId);
    }

    [Fact]
    public async Task Messages_PageWithLimitAndAfter_OldestFirst_WithoutGapsOrRepeats()
    {
        var (caller, conversationId) = await ConversationOfThreeTurnsAsync();
        var all = await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages");
        var allIds = all.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();

        var pages = new List<List<string?>>();
        var hasMore = new List<bool>();
        string? cursor = null;
        do
        {
            var page = await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages?limit=4" + (cursor is null ? string.Empty : $"&after={cursor}"));
            pages.Add(page.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList());
            hasMore.Add(page.GetProperty("has_more").GetBoolean());
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
        }
        while (hasMore[^1] && pages.Count < 10);

        allIds.Should().HaveCount(6, "three turns of a user message and an answer");
        all.GetProperty("has_more").GetBoolean().Should().BeFalse();
        all.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("role").GetString())
            .Should().Equal("user", "assistant", "user", "assistant", "user", "assistant");
        all.GetProperty("data")[0].GetProperty("content").GetString().Should().Be("one", "oldest first");
        pages.Select(p => p.Count).Should().Equal(4, 2);
        hasMore.Should().Equal(true, false);
        pages.SelectMany(p => p).Should().Equal(allIds, "the pages together are the whole list, in order");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("after=garbage", "after")]
    public async Task Messages_WithABadLimitOrCursor_Is400NamingIt(string query, string param)
    {
        var (caller, conversationId) = await ConversationOfThreeTurnsAsync();

        var response = await caller.Client.GetAsync($"/v1/conversations/{conversationId}/messages?{query}");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Api.FunctionalTests.Quotas;
using Xunit.Abstractions;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Conversations;

/// <summary>
/// A conversation takes one turn at a time. Turns sent in parallel on one <c>conversation_id</c> are each
/// either answered (200) or refused whole with 409 <c>conversation_busy</c> (nothing stored, nothing
/// counted), on one host or across two hosts on one database; what is stored is always consistent:
/// <c>message_count</c> is the number of messages, every answered turn has its answer, no refused turn is
/// stored, and a refused turn sent again is answered.
/// </summary>
public sealed class ConversationConcurrencyTests(TwoHostsFixture hosts, ITestOutputHelper output) : IClassFixture<TwoHostsFixture>
{
    private const int Parallel = 6;
    private const int Rounds = 3;

    [Fact]
    public Task ParallelContinuations_OnOneHost_AreAnsweredOrBusy_AndTheConversationStaysConsistent() =>
        RunAsync(twoHosts: false);

    [Fact]
    public Task ParallelContinuations_AcrossTwoHostsOnOneDatabase_AreAnsweredOrBusy_AndTheConversationStaysConsistent() =>
        RunAsync(twoHosts: true);

    private async Task RunAsync(bool twoHosts)
    {
        var user = await hosts.First.CreateUserAsync();
        var agentId = await user.CreateAgentAsync(new { name = "Busy" });
        var clients = new[] { user.Client, twoHosts ? OnHost(hosts.Second, user) : user.Client };
        var first = await user.CompleteOkAsync(Ask(agentId, "opening"));
        var conversationId = first.GetProperty("conversation_id").GetString()!;
        var answered = new List<string> { "opening" };
        var busy = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var questions = Enumerable.Range(0, Parallel).Select(i => $"round {round} question {i}").ToList();
            var responses = await Task.WhenAll(questions.Select((question, i) => Task.Run(() =>
                clients[i % 2].PostAsJsonAsync("/v1/chat/completions", Continue(agentId, conversationId, question)))));

            var refused = new List<string>();
            for (var i = 0; i < Parallel; i++)
            {
                if (responses[i].StatusCode == HttpStatusCode.OK)
                {
                    answered.Add(questions[i]);
                    continue;
                }

                await responses[i].ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "conversation_busy", "conversation_id");
                refused.Add(questions[i]);
            }

            busy += refused.Count;
            await AssertConsistentAsync(user, conversationId, answered, refused);

            // A refused turn is retryable: sent again (one at a time), it is answered.
            foreach (var question in refused)
            {
                (await clients[0].PostAsJsonAsync("/v1/chat/completions", Continue(agentId, conversationId, question))).StatusCode.Should().Be(HttpStatusCode.OK);
                answered.Add(question);
            }

            await AssertConsistentAsync(user, conversationId, answered, []);
        }

        output.WriteLine($"{(twoHosts ? "two hosts" : "one host")}: {Rounds * Parallel} parallel continuations, {Rounds * Parallel - busy} answered at once, {busy} refused as busy and answered on retry; stored state consistent after each of {Rounds * 2} checks");
    }

    /// <summary>The stored conversation holds each answered question once with its answer, none of the refused, and counts them right.</summary>
    private static async Task AssertConsistentAsync(TestCaller user, string conversationId, IReadOnlyList<string> answered, IReadOnlyList<string> refused)
    {
        var conversation = await user.GetOkAsync($"/v1/conversations/{conversationId}");
        var messages = await user.GetOkAsync($"/v1/conversations/{conversationId}/messages?limit=100");
        var stored = messages.GetProperty("data").EnumerateArray().ToList();

        conversation.GetProperty("message_count").GetInt32().Should().Be(stored.Count);
        stored.Should().OnlyContain(m => m.GetProperty("status").GetString() == "completed");
        var users = stored.Where(m => m.GetProperty("role").GetString() == "user").Select(m => m.GetProperty("content").GetString()).ToList();
        users.Should().BeEquivalentTo(answered);
        users.Should().NotIntersectWith(refused);
        stored.Select(m => m.GetProperty("role").GetString()).Should().Equal(
            Enumerable.Range(0, answered.Count).SelectMany(_ => new[] { "user", "assistant" }),
            "each turn is followed by its own answer before the next turn");
    }

    private static Dictionary<string, object?> Continue(string agentId, string conversationId, string question)
    {
        var body = Ask(agentId, question);
        body["conversation_id"] = conversationId;
        return body;
    }

    private static HttpClient OnHost(DevanaApiFactory host, TestCaller caller)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = caller.Client.DefaultRequestHeaders.Authorization;
        return client;
    }
}

/// <summary>While a turn waits for its answer, the next turn on the conversation is 409 conversation_busy, stores nothing and counts nothing.</summary>
public sealed class ConversationBusyTests(CompletionsFactory factory) : IClassFixture<CompletionsFactory>
{
    [Fact]
    public async Task TurnWhileAnotherIsPending_Is409ConversationBusy_StoresAndCountsNothing()
    {
        factory.Upstream.Reset();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Held", model = "fake-large" });
        var conversationId = (await caller.CompleteOkAsync(Ask(agentId, "first"))).GetProperty("conversation_id").GetString()!;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Upstream.Behavior = request =>
        {
            arrived.TrySetResult();
            return FakeOpenAiUpstream.DefaultBehavior(request) with { Fault = UpstreamFault.SlowFirstByte, FirstByteAfter = release.Task };
        };
        var usageBefore = await caller.GetOkAsync("/v1/usage");

        var held = caller.Client.PostAsJsonAsync("/completions", Continue(agentId, conversationId, "second"));
        await arrived.Task;
        var refused = await caller.Client.PostAsJsonAsync("/completions", Continue(agentId, conversationId, "meanwhile"));
        release.SetResult();
        var answered = await held;

        await refused.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "conversation_busy", "conversation_id");
        answered.StatusCode.Should().Be(HttpStatusCode.OK);
        var messages = await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages");
        messages.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("content").GetString())
            .Should().Equal("first", "fake answer to: first", "second", "fake answer to: second");
        var usageAfter = await caller.GetOkAsync("/v1/usage");
        Counter(usageAfter, "principal", "requests_per_day").GetProperty("used").GetInt64()
            .Should().Be(Counter(usageBefore, "principal", "requests_per_day").GetProperty("used").GetInt64() + 1, "the refused turn counts nothing");
    }

    private static Dictionary<string, object?> Continue(string agentId, string conversationId, string question)
    {
        var body = Ask(agentId, question);
        body["conversation_id"] = conversationId;
        return body;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Xunit.Abstractions;

namespace Devana.Api.FunctionalTests.ScaleOut;

/// <summary>
/// The shared scenarios on PostgreSQL, and what happens when an instance dies (SIGKILL) or is told to stop
/// (SIGTERM) in the middle of streams. Each of these starts an instance of its own to kill or stop.
/// </summary>
public sealed class PostgresScaleOutTests(PostgresCluster cluster, ITestOutputHelper output) : ScaleOutTests<PostgresCluster>(cluster, output)
{
    [SkippableFact]
    public async Task InstanceKilledMidStream_OthersKeepServing_ItsReservationsAreSettledWithinTheBound_AndItsTurnsFailed()
    {
        const int Streams = 3;
        var doomed = await Cluster.StartInstanceAsync();
        var survivors = Live().Where(i => i != doomed).ToList();
        var (token, agentId) = await AgentAsync(survivors[0], new { tokens_per_day = 100_000 });
        var question = $"never answered {agentId}";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Upstream.Behavior = request => Said(request, question) ? new FakeReply(["too", "late"]) { HoldUntil = gate.Task } : FakeOpenAiUpstream.DefaultBehavior(request);
        using var doomedClient = DevanaCluster.Bearer(doomed, token);
        var streams = new List<(HttpResponseMessage Response, string ConversationId)>();
        for (var i = 0; i < Streams; i++)
        {
            streams.Add(await OpenStreamAsync(doomedClient, Ask(agentId, question, stream: true, maxTokens: 500)));
        }

        (await HoldsOfAgentAsync(agentId)).Should().Be(Streams);
        var reservedBefore = await AgentTokensUsedAsync(survivors[0], token, agentId);

        await doomed.KillAsync();
        var clock = Stopwatch.StartNew();

        // The others keep serving at once.
        using (var client = DevanaCluster.Bearer(survivors[0], token))
        {
            await OkJsonAsync(await client.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, "still there?")));
        }

        var bound = TimeSpan.FromSeconds(DevanaCluster.ReservationExpirySeconds * 4.0 / 3);
        var settledAt = await PollAsync(bound + TimeSpan.FromSeconds(30), async () => await HoldsOfAgentAsync(agentId) == 0, clock);
        Figure($"SIGKILL with {Streams} open streams: the other {survivors.Count} instances kept serving; its reservations were settled {settledAt.TotalSeconds:0.0} s after the kill (bound 4/3·E = {bound.TotalSeconds:0} s, E = {DevanaCluster.ReservationExpirySeconds} s)");

        using var reader = DevanaCluster.Bearer(survivors[^1], token);
        foreach (var (_, conversationId) in streams)
        {
            var messages = await OkJsonAsync(await reader.GetAsync($"/v1/conversations/{conversationId}/messages"));
            var turn = messages.GetProperty("data").EnumerateArray().Should().ContainSingle().Subject;
            turn.GetProperty("status").GetString().Should().Be("failed");
        }

        // The counters equal the ledger: what was reserved and never used came back; each dead turn is one failed row.
        var reservedAfter = await AgentTokensUsedAsync(survivors[0], token, agentId);
        reservedAfter.Should().BeLessThan(reservedBefore);
        (await Cluster.ScalarAsync($"SELECT COUNT(*) FROM usage_records WHERE agent_id = '{agentId}' AND outcome = 'failed'")).Should().Be(Streams);
        (await Cluster.ScalarAsync($"SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM usage_records WHERE agent_id = '{agentId}'"))
            .Should().Be(reservedAfter);

        // The conversation goes on, on another instance, from the turn before the failed one.
        using (var client = DevanaCluster.Bearer(survivors[1], token))
        {
            await OkJsonAsync(await client.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, "again", conversationId: streams[0].ConversationId)));
        }

        CompletionTestKit.MessagesOf(Cluster.Upstream.Requests().Last(r => Said(r, "again"))).Select(m => m.Content).Should().NotContain(question);
        gate.SetResult();
        foreach (var (response, _) in streams)
        {
            response.Dispose();
        }
    }

    [SkippableFact]
    public async Task InstanceTerminated_RefusesNewRequests_LetsStreamsFinishWithinTheDrainTime_AndEndsTheRestWithAnError()
    {
        const int DrainSeconds = 8;
        var draining = await Cluster.StartInstanceAsync(new Dictionary<string, string> { ["Devana__Shutdown__DrainSeconds"] = DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var (token, agentId) = await AgentAsync(draining, new { tokens_per_day = 100_000 });
        var (shortQuestion, longQuestion) = ($"short {agentId}", $"long {agentId}");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Upstream.Behavior = request =>
            Said(request, shortQuestion) ? new FakeReply(["done", "in", "time"]) { HoldUntil = release.Task }
            : Said(request, longQuestion) ? new FakeReply(Enumerable.Range(0, 2000).Select(i => $"w{i}").ToList(), DelayPerWord: TimeSpan.FromMilliseconds(100))
            : FakeOpenAiUpstream.DefaultBehavior(request);
        using var client = DevanaCluster.Bearer(draining, token);
        var (finishing, _) = await OpenStreamAsync(client, Ask(agentId, shortQuestion, stream: true));
        var (cut, cutConversation) = await OpenStreamAsync(client, Ask(agentId, longQuestion, stream: true));

        await draining.TerminateAsync();
        var clock = Stopwatch.StartNew();

        // New requests are refused (503 on an open connection, or no connection at all).
        await PollAsync(TimeSpan.FromSeconds(30), async () =>
        {
            try
            {
                using var fresh = new HttpClient { BaseAddress = draining.BaseAddress };
                using var response = await fresh.GetAsync("/health/ready");
                return response.StatusCode == HttpStatusCode.ServiceUnavailable;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }, clock);
        release.SetResult();

        var (finished, _) = await CompletionTestKit.ReadSseAsync(finishing);
        finished[^1].Should().Be("[DONE]", "a stream that ends within the drain time ends normally");
        var (ended, _) = await CompletionTestKit.ReadSseAsync(cut);
        var cutAfter = clock.Elapsed;
        ended.Should().NotContain("[DONE]");
        JsonDocument.Parse(ended[^1]).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("service_unavailable");
        var exitCode = await draining.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 60));
        var exitedAfter = clock.Elapsed;

        exitCode.Should().Be(0, draining.Output);
        (await HoldsOfAgentAsync(agentId)).Should().Be(0);
        (await Cluster.ScalarAsync($"SELECT COUNT(*) FROM usage_records WHERE agent_id = '{agentId}' AND outcome = 'completed'")).Should().Be(1);
        (await Cluster.ScalarAsync($"SELECT COUNT(*) FROM usage_records WHERE agent_id = '{agentId}' AND outcome = 'cancelled' AND completion_tokens > 0")).Should().Be(1);
        (await Cluster.ScalarAsync($"SELECT COUNT(*) FROM \"Messages\" WHERE \"ConversationId\" = '{cutConversation}' AND \"FinishReason\" = 'cancelled'")).Should().Be(1);
        Figure($"SIGTERM with 2 open streams (DrainSeconds = {DrainSeconds}): 1 finished with [DONE], 1 ended with an error event after {cutAfter.TotalSeconds:0.0} s, its partial answer stored and usage settled; new requests refused; process exited 0 after {exitedAfter.TotalSeconds:0.0} s");
        finishing.Dispose();
        cut.Dispose();
    }

    private Task<long> HoldsOfAgentAsync(string agentId) => Cluster.ScalarAsync($"SELECT COUNT(*) FROM quota_holds WHERE agent_id = '{agentId}'");

    /// <summary>The agent's tokens-per-day counter (used plus reserved), as <c>GET /v1/usage</c> shows it.</summary>
    private static async Task<long> AgentTokensUsedAsync(DevanaProcess instance, string token, string agentId)
    {
        using var client = DevanaCluster.Bearer(instance, token);
        var usage = await OkJsonAsync(await client.GetAsync("/v1/usage"));
        var agent = usage.GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("level").GetString() == "agent" && l.GetProperty("id").GetString() == agentId);
        return agent.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "tokens_per_day").GetProperty("used").GetInt64();
    }

    /// <summary>Sends a streaming completion and reads up to its first event (the role chunk, with the conversation id).</summary>
    private static async Task<(HttpResponseMessage Response, string ConversationId)> OpenStreamAsync(HttpClient client, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stream = await response.Content.ReadAsStreamAsync();
        var first = new List<byte>();
        var buffer = new byte[1];
        while (!EndsWithBlankLine(first) && await stream.ReadAsync(buffer) == 1)
        {
            first.Add(buffer[0]);
        }

        var line = System.Text.Encoding.UTF8.GetString(first.ToArray()).Trim();
        var conversationId = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("conversation_id").GetString()!;
        return (response, conversationId);
    }

    private static bool EndsWithBlankLine(List<byte> bytes) => bytes.Count >= 2 && bytes[^1] == '\n' && bytes[^2] == '\n';
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace Devana.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Several real Devana processes on one database behave as one: tokens, revocation, quotas, conversations,
/// agent changes. Few requests, bounded polling (never a fixed sleep); each test makes an agent of its own.
/// The figures each test measures are written to its output (instances × requests, admitted vs limit,
/// seconds to refuse a revoked token elsewhere, …). The last two start an instance of their own to kill
/// (SIGKILL) or stop (SIGTERM) in the middle of streams.
/// </summary>
[Trait("Category", "ScaleOut")]
public abstract class ScaleOutTests<TCluster>(TCluster cluster, ITestOutputHelper output) : IClassFixture<TCluster>
    where TCluster : DevanaCluster
{
    protected TCluster Cluster { get; } = cluster;

    protected ITestOutputHelper Output { get; } = output;

    [SkippableFact]
    public async Task TokenIssuedByAnyInstance_IsAcceptedByEveryInstance()
    {
        var instances = Live();
        var accepted = 0;
        foreach (var issuer in instances)
        {
            var token = await DevanaCluster.TokenFromAsync(issuer);
            foreach (var instance in instances)
            {
                using var client = DevanaCluster.Bearer(instance, token);
                using var response = await client.GetAsync("/v1/models");
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"a token issued by {issuer.Name} is good on {instance.Name}");
                accepted++;
            }
        }

        Figure($"tokens accepted across instances: {accepted}/{instances.Count * instances.Count} (each of {instances.Count} instances' token on each instance)");
    }

    [SkippableFact]
    public async Task TokenRevokedOnOneInstance_IsRefusedByTheOthersWithinTheTokenCacheTime()
    {
        var instances = Live();
        var token = await DevanaCluster.TokenFromAsync(instances[0]);
        foreach (var instance in instances)
        {
            // Each instance has now seen the token valid (and may keep it so for TokenEntryCacheSeconds).
            using var client = DevanaCluster.Bearer(instance, token);
            (await client.GetAsync("/v1/models")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var revoked = await OAuth.PostFormAsync(instances[0].Client, "/connect/revoke", new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_id"] = DevanaCluster.ClientId,
            ["client_secret"] = DevanaCluster.ClientSecret,
        });
        revoked.Status.Should().Be(HttpStatusCode.OK, revoked.Body.ToString());
        var clock = Stopwatch.StartNew();

        var slowest = TimeSpan.Zero;
        foreach (var instance in instances.Skip(1))
        {
            using var client = DevanaCluster.Bearer(instance, token);
            var refusedAt = await PollAsync(TimeSpan.FromSeconds(DevanaCluster.TokenEntryCacheSeconds + 30), async () =>
            {
                using var response = await client.GetAsync("/v1/models");
                return response.StatusCode == HttpStatusCode.Unauthorized;
            }, clock);
            slowest = refusedAt > slowest ? refusedAt : slowest;
        }

        Figure($"revoked token refused on the other {instances.Count - 1} instances after {slowest.TotalSeconds:0.0} s (TokenEntryCacheSeconds = {DevanaCluster.TokenEntryCacheSeconds})");
        slowest.Should().BeLessThan(TimeSpan.FromSeconds(DevanaCluster.TokenEntryCacheSeconds + 30));
    }

    [SkippableFact]
    public async Task FiftyConcurrentCompletionsOverTheInstances_AgainstATenADayQuota_AdmitExactlyTen()
    {
        const int Requests = 50;
        const int Limit = 10;
        var instances = Live();
        var (token, agentId) = await AgentAsync(instances[0], new { requests_per_day = Limit });

        var statuses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var client = DevanaCluster.Bearer(instances[i % instances.Count], token);
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, $"question {i}"));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                body.Should().Contain("quota_exceeded");
            }

            return (response.StatusCode, Body: body);
        }));

        var unexpected = statuses.Where(s => s.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Forbidden)).Select(s => $"{(int)s.StatusCode}: {s.Body}").ToList();
        unexpected.Should().BeEmpty("every request is admitted or refused for the quota; the instances logged:{0}{1}", Environment.NewLine, string.Join(Environment.NewLine, instances.Select(i => $"--- {i.Name}{Environment.NewLine}{i.Output}")));
        var admitted = statuses.Count(s => s.StatusCode == HttpStatusCode.OK);
        Figure($"{instances.Count} instances × {Requests} concurrent completions against requests_per_day = {Limit}: {admitted} admitted, {statuses.Count(s => s.StatusCode == HttpStatusCode.Forbidden)} refused 403 quota_exceeded");
        admitted.Should().Be(Limit);
    }

    [SkippableFact]
    public async Task ConcurrentStreamsOverTheInstances_NeverReserveMoreTokensThanTheLimit()
    {
        const int Streams = 12;
        const int Limit = 1000;
        var instances = Live();
        var (token, agentId) = await AgentAsync(instances[0], new { tokens_per_day = Limit });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var question = $"stream for {agentId}";
        Cluster.Upstream.Behavior = request => Said(request, question) ? new FakeReply(["short", "answer"]) { HoldUntil = gate.Task } : FakeOpenAiUpstream.DefaultBehavior(request);

        // Every stream is admitted or refused before any finishes: the upstream holds the admitted ones.
        var opened = await Task.WhenAll(Enumerable.Range(0, Streams).Select(async i =>
        {
            var client = DevanaCluster.Bearer(instances[i % instances.Count], token);
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Ask(agentId, question, stream: true, maxTokens: 300)) };
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (Client: client, Response: response);
        }));
        gate.SetResult();

        var admitted = opened.Where(o => o.Response.StatusCode == HttpStatusCode.OK).ToList();
        opened.Where(o => o.Response.StatusCode != HttpStatusCode.OK).Should().OnlyContain(o => o.Response.StatusCode == HttpStatusCode.Forbidden);
        var remaining = admitted.Select(o => long.Parse(o.Response.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), CultureInfo.InvariantCulture)).OrderDescending().ToList();
        foreach (var (client, response) in opened)
        {
            var (data, _) = await CompletionTestKit.ReadSseAsync(response);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                data[^1].Should().Be("[DONE]");
            }

            response.Dispose();
            client.Dispose();
        }

        // Each admitted stream reserved the same r tokens (same prompt, max_tokens 300): the remaining
        // tokens each saw are Limit − r, Limit − 2r, …, and exactly ⌊Limit / r⌋ were admitted.
        remaining.Should().NotBeEmpty();
        var reserved = Limit - remaining[0];
        remaining.Should().Equal(Enumerable.Range(1, remaining.Count).Select(k => (long)(Limit - (k * reserved))));
        admitted.Count.Should().Be((int)(Limit / reserved));
        Figure($"{instances.Count} instances × {Streams} concurrent streams reserving {reserved} tokens each against tokens_per_day = {Limit}: {admitted.Count} admitted (⌊{Limit}/{reserved}⌋ = {Limit / reserved}), {Streams - admitted.Count} refused");
    }

    [SkippableFact]
    public async Task ConversationStartedOnOneInstance_ContinuesOnAnother()
    {
        var instances = Live();
        var (token, agentId) = await AgentAsync(instances[0], null);
        using var first = DevanaCluster.Bearer(instances[0], token);
        using var second = DevanaCluster.Bearer(instances[1], token);
        using var third = DevanaCluster.Bearer(instances[^1], token);

        var started = await OkJsonAsync(await first.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, "my name is Ada")));
        var conversationId = started.GetProperty("conversation_id").GetString()!;
        var continued = await OkJsonAsync(await second.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, "what is my name?", conversationId: conversationId)));

        continued.GetProperty("conversation_id").GetString().Should().Be(conversationId);
        var upstream = Cluster.Upstream.Requests().Last(r => Said(r, "what is my name?"));
        CompletionTestKit.MessagesOf(upstream).Select(m => m.Content).Should().ContainInOrder("my name is Ada", "fake answer to: my name is Ada", "what is my name?");
        var messages = await OkJsonAsync(await third.GetAsync($"/v1/conversations/{conversationId}/messages"));
        messages.GetProperty("data").GetArrayLength().Should().Be(4);
        Figure($"conversation started on {instances[0].Name}, continued on {instances[1].Name} with its history, read whole on {instances[^1].Name}");
    }

    [SkippableFact]
    public async Task AgentChangedOnOneInstance_AppliesOnTheOthersWithinTheSettingsCacheTime()
    {
        var instances = Live();
        var (token, agentId) = await AgentAsync(instances[0], null, instructions: "Answer in English.");
        foreach (var instance in instances.Skip(1))
        {
            // Each instance now holds the agent in its settings cache.
            using var client = DevanaCluster.Bearer(instance, token);
            await OkJsonAsync(await client.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, "before")));
        }

        using var admin = DevanaCluster.Bearer(instances[0], token);
        (await admin.PatchAsJsonAsync($"/v1/agents/{agentId}", new { instructions = "Answer in French." })).StatusCode.Should().Be(HttpStatusCode.OK);
        var clock = Stopwatch.StartNew();

        var slowest = TimeSpan.Zero;
        foreach (var instance in instances.Skip(1))
        {
            using var client = DevanaCluster.Bearer(instance, token);
            var appliedAt = await PollAsync(TimeSpan.FromSeconds(DevanaCluster.SettingsCacheSeconds + 30), async () =>
            {
                var question = $"after {Guid.NewGuid():N}";
                await OkJsonAsync(await client.PostAsJsonAsync("/v1/chat/completions", Ask(agentId, question)));
                var system = CompletionTestKit.MessagesOf(Cluster.Upstream.Requests().Last(r => Said(r, question))).First(m => m.Role == "system").Content;
                return system.Contains("Answer in French.", StringComparison.Ordinal);
            }, clock);
            slowest = appliedAt > slowest ? appliedAt : slowest;
        }

        Figure($"agent change made on {instances[0].Name} applied on the other {instances.Count - 1} after {slowest.TotalSeconds:0.0} s (SettingsSeconds = {DevanaCluster.SettingsCacheSeconds})");
    }

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

    /// <summary>The instances still running.</summary>
    protected List<DevanaProcess> Live() => Cluster.Instances.Where(i => !i.HasExited).ToList();

    protected void Figure(string line) => Output.WriteLine($"FIGURE [{typeof(TCluster).Name}] {line}");

    /// <summary>A token of the bootstrap client and a new agent (on the fake LLM) with <paramref name="quota"/> as its agent quota.</summary>
    protected static async Task<(string Token, string AgentId)> AgentAsync(DevanaProcess instance, object? quota, string instructions = "Be brief.")
    {
        var token = await DevanaCluster.TokenFromAsync(instance);
        using var client = DevanaCluster.Bearer(instance, token);
        var agent = await OkJsonAsync(await client.PostAsJsonAsync("/v1/agents", new { name = $"Scale {Guid.NewGuid():N}", model = "fake-large", instructions }));
        var agentId = agent.GetProperty("id").GetString()!;
        if (quota is not null)
        {
            await OkJsonAsync(await client.PutAsJsonAsync($"/v1/quotas/agents/{agentId}", quota));
        }

        return (token, agentId);
    }

    protected static Dictionary<string, object?> Ask(string agentId, string content, bool stream = false, int? maxTokens = null, string? conversationId = null)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = new[] { new { role = "user", content } } };
        if (stream)
        {
            body["stream"] = true;
        }

        if (maxTokens is not null)
        {
            body["max_tokens"] = maxTokens;
        }

        if (conversationId is not null)
        {
            body["conversation_id"] = conversationId;
        }

        return body;
    }

    protected static bool Said(JsonElement upstreamRequest, string content) =>
        CompletionTestKit.MessagesOf(upstreamRequest).Any(m => m.Role == "user" && m.Content == content);

    protected static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.IsSuccessStatusCode.Should().BeTrue($"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>Asks <paramref name="done"/> until it says yes, at most until <paramref name="timeout"/>; returns the time on <paramref name="clock"/> when it did.</summary>
    protected static async Task<TimeSpan> PollAsync(TimeSpan timeout, Func<Task<bool>> done, Stopwatch clock)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await done())
            {
                return clock.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"Not done after {timeout.TotalSeconds} s.");
    }
}

public sealed class SqliteScaleOutTests(SqliteCluster cluster, ITestOutputHelper output) : ScaleOutTests<SqliteCluster>(cluster, output);

public sealed class PostgresScaleOutTests(PostgresCluster cluster, ITestOutputHelper output) : ScaleOutTests<PostgresCluster>(cluster, output);

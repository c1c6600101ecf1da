using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Devana.Api.FunctionalTests.Operations;

/// <summary>
/// Graceful shutdown (<c>Devana:Shutdown:DrainSeconds</c>): once the host is told to stop, new requests
/// get 503 with <c>Connection: close</c>; open streams run on for the drain time, and the ones still open
/// then end with an error event, their answer so far stored and their usage settled. Each test has a host
/// of its own (a stopping host does not start again); the host is told to stop through
/// <see cref="IHostApplicationLifetime.StopApplication"/>, as SIGTERM does.
/// </summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task Shutdown_LetsAnOpenStreamFinishWithinTheDrainTime_AndRefusesNewRequests()
    {
        await using var factory = new DrainFactory(drainSeconds: 600);
        await factory.InitializeAsync();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Drained", model = "fake-large" });
        // One word, then the upstream holds the stream open until the late request has been refused.
        var refusedLate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Upstream.Behavior = _ => new FakeReply(["one", "two", "three", "four", "five"]) { HoldUntil = refusedLate.Task, HoldAt = 1 };
        var (response, reader) = await OpenStreamAsync(caller, agentId);

        await ReadContentChunksAsync(reader, 1);
        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var refused = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = "late" } } });
        refusedLate.SetResult();
        await refused.ShouldBeErrorAsync(HttpStatusCode.ServiceUnavailable, "server_error", "service_unavailable", null);
        refused.Headers.ConnectionClose.Should().BeTrue();
        var rest = await ReadAllDataAsync(reader);
        rest[^1].Should().Be("[DONE]", "the stream finished within the drain time");
        response.Dispose();
        (await ScalarAsync(factory, "SELECT COUNT(*) FROM usage_records")).Should().Be(1);
        (await TextAsync(factory, "SELECT outcome FROM usage_records")).Should().Be("completed");
    }

    [Fact]
    public async Task Shutdown_WhenTheDrainTimeRunsOut_EndsTheStreamWithAnErrorEvent_StoresThePartialAnswer_AndSettlesItsUsage()
    {
        await using var factory = new DrainFactory(drainSeconds: 0);
        await factory.InitializeAsync();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Cut", model = "fake-large" });
        // Three words, then the upstream holds: the stream is still open when the drain time (0 s) runs out.
        factory.Upstream.Behavior = _ => new FakeReply(Enumerable.Range(0, 400).Select(i => $"w{i}").ToList()) { HoldUntil = new TaskCompletionSource().Task, HoldAt = 3 };
        var (response, reader) = await OpenStreamAsync(caller, agentId);

        await ReadContentChunksAsync(reader, 3);
        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var rest = await ReadAllDataAsync(reader);
        response.Dispose();
        rest.Should().NotContain("[DONE]");
        var error = JsonDocument.Parse(rest[^1]).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("service_unavailable");
        error.GetProperty("message").GetString().Should().Contain("drain time");

        (await TextAsync(factory, "SELECT outcome FROM usage_records")).Should().Be("cancelled");
        (await ScalarAsync(factory, "SELECT completion_tokens FROM usage_records")).Should().BeGreaterThanOrEqualTo(3, "what was written before the drain ran out counts");
        (await TextAsync(factory, "SELECT \"FinishReason\" FROM \"Messages\" WHERE \"Role\" = 'Assistant'")).Should().Be("cancelled");
        (await TextAsync(factory, "SELECT \"Content\" FROM \"Messages\" WHERE \"Role\" = 'Assistant'")).Should().StartWith("w0 w1 w2");
        (await ScalarAsync(factory, "SELECT COUNT(*) FROM quota_holds")).Should().Be(0, "the stream's hold went with its settlement");
    }

    [Theory]
    [InlineData("Devana:Shutdown:DrainSeconds", "-1")]
    [InlineData("Devana:Shutdown:DrainSeconds", "99999")]
    [InlineData("Devana:Quotas:ReservationExpirySeconds", "2")]
    [InlineData("Devana:Quotas:ReservationExpirySeconds", "1.5")]
    [InlineData("Devana:Quotas:ReservationExpirySeconds", "lots")]
    public void Startup_WhenADrainOrExpirySettingIsOutOfRange_FailsNamingTheKey(string key, string value)
    {
        using var factory = new SettingFactory(key, value);

        var start = () => factory.Server;

        start.Should().Throw<Exception>().Which.Message.Should().Contain(key).And.Contain(value);
    }

    private static async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenStreamAsync(TestCaller caller, string agentId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/completions")
        {
            Content = JsonContent.Create(new { model = agentId, stream = true, messages = new[] { new { role = "user", content = "talk" } } }),
        };
        var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task ReadContentChunksAsync(StreamReader reader, int count)
    {
        var seen = 0;
        while (seen < count && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal)
                && JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices
                && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString()!.Length > 0)
            {
                seen++;
            }
        }

        seen.Should().Be(count);
    }

    private static async Task<List<string>> ReadAllDataAsync(StreamReader reader)
    {
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        return data;
    }

    /// <summary>One number from the host's SQLite file, read directly: the host may have stopped by now.</summary>
    private static async Task<long> ScalarAsync(DevanaApiFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<string?> TextAsync(DevanaApiFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>A host of its own with the fake upstream behind <c>fake-large</c> and the given drain time.</summary>
    private sealed class DrainFactory(int drainSeconds) : FakeUpstreamApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
            settings["Devana:Shutdown:DrainSeconds"] = drainSeconds.ToString(CultureInfo.InvariantCulture);
            settings["Devana:Completions:KeepAliveSeconds"] = "0.3";
            return settings;
        }
    }

    private sealed class SettingFactory(string key, string value) : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings[key] = value;
            return settings;
        }
    }
}

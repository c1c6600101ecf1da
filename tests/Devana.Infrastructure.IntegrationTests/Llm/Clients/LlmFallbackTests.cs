using System.Globalization;
using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.CreateCompletion;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Devana.Infrastructure.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients;

/// <summary>
/// An agent's fallback LLMs, through the real OpenAI client stack (SDK, retry, timeout, error translation)
/// against <see cref="OpenAIWire"/>: two catalog LLMs on one fake upstream, told apart by the model each
/// request names. The first LLM's failure before its answer begins moves the call to the next, after the
/// provider's own retry; a failure once the answer has begun does not. Time is a <see cref="ManualTimeProvider"/>.
/// </summary>
public sealed class LlmFallbackTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-0123456789abcdefSECRET";
    private const string Primary = "primary";
    private const string Backup = "backup";
    private const string Unreachable = "unreachable";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly OpenAIWire _wire = new(ApiKey);
    private readonly ManualTimeProvider _time = new();
    private FakeUpstream _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeUpstream.StartAsync(_wire);
        var settings = new Dictionary<string, string?>
        {
            ["Devana:Llm:DefaultModel"] = Primary,
            ["Devana:Llm:Providers:upstream:Type"] = "OpenAI",
            ["Devana:Llm:Providers:upstream:BaseUrl"] = new Uri(_fake.Root, "v1").ToString(),
            ["Devana:Llm:Providers:upstream:ApiKey"] = ApiKey,
            ["Devana:Llm:Providers:upstream:TimeoutSeconds"] = s_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["Devana:Llm:Providers:upstream:MaxRetries"] = "1",
            ["Devana:Llm:Providers:upstream:RetryDelayMilliseconds"] = "0",

            // Nothing listens on port 9 (discard): the connection is refused.
            ["Devana:Llm:Providers:down:Type"] = "OpenAI",
            ["Devana:Llm:Providers:down:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Devana:Llm:Providers:down:ApiKey"] = ApiKey,
            ["Devana:Llm:Providers:down:MaxRetries"] = "0",
            ["Devana:Llm:Models:2:Id"] = Unreachable,
            ["Devana:Llm:Models:2:Provider"] = "down",
            ["Devana:Llm:Models:2:UpstreamModel"] = "gpt-unreachable",
            ["Devana:Llm:Models:2:ContextWindow"] = "8000",
            ["Devana:Llm:Models:2:MaxOutputTokens"] = "1000",
        };
        foreach (var (index, id) in new[] { (0, Primary), (1, Backup) })
        {
            settings[$"Devana:Llm:Models:{index}:Id"] = id;
            settings[$"Devana:Llm:Models:{index}:Provider"] = "upstream";
            settings[$"Devana:Llm:Models:{index}:UpstreamModel"] = $"gpt-{id}";
            settings[$"Devana:Llm:Models:{index}:ContextWindow"] = "8000";
            settings[$"Devana:Llm:Models:{index}:MaxOutputTokens"] = "1000";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddLlm(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task GetResponseAsync_WhenTheFirstLlmAnswers503AfterItsRetry_TheFallbackAnswers()
    {
        _fake.Respond(
            context => _wire.WriteErrorAsync(context, 503, "The engine is currently overloaded, please try again later."),
            context => _wire.WriteErrorAsync(context, 503, "The engine is currently overloaded, please try again later."),
            context => _wire.WriteAnswerAsync(context, "From the backup", "stop", 12, 3));
        var client = Fallback();

        var response = await client.GetResponseAsync(Question());

        response.Text.Should().Be("From the backup");
        response.Usage!.OutputTokenCount.Should().Be(3);
        client.Llm.Id.Should().Be(Backup);
        UpstreamModels().Should().Equal("gpt-primary", "gpt-primary", "gpt-backup");
        client.Attempts.Should().HaveCount(2);
        client.Attempts[0].Should().StartWith("primary: upstream_error: ").And.Contain("503");
        client.Attempts[1].Should().Be("backup: answered");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheFirstLlmCannotBeReached_TheFallbackStreams()
    {
        _fake.Respond(context => _wire.WriteStreamAsync(_fake, context, ["Reached"], "stop", 12, 1, StreamEnding.Complete));
        var client = Fallback(Unreachable, Backup);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Question()));

        string.Concat(updates.Select(u => u.Text)).Should().Be("Reached");
        client.Llm.Id.Should().Be(Backup);
        client.Attempts[0].Should().StartWith("unreachable: upstream_error: ").And.Contain("could not be reached");
        UpstreamModels().Should().Equal("gpt-backup");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheFirstLlmAnswers429_TheFallbackStreams()
    {
        _fake.Respond(
            context => _wire.WriteErrorAsync(context, 429, "Rate limit reached for requests."),
            context => _wire.WriteErrorAsync(context, 429, "Rate limit reached for requests."),
            context => _wire.WriteStreamAsync(_fake, context, ["From ", "the backup"], "stop", 12, 2, StreamEnding.Complete));
        var client = Fallback();

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Question()));

        string.Concat(updates.Select(u => u.Text)).Should().Be("From the backup");
        client.Llm.Id.Should().Be(Backup);
        UpstreamModels().Should().Equal("gpt-primary", "gpt-primary", "gpt-backup");
        client.Attempts[0].Should().Contain("429");
    }

    [Fact]
    public async Task GetResponseAsync_WhenTheFirstLlmTimesOutBeforeItsFirstByte_TheFallbackAnswers()
    {
        _fake.Respond(_fake.StallAsync, context => _wire.WriteAnswerAsync(context, "Late but here", "stop", 12, 3));
        var client = Fallback();

        var call = client.GetResponseAsync(Question());
        await _fake.WaitForRequestsAsync(1);
        await _time.WaitForTimerAsync(s_timeout);
        _time.Advance(s_timeout);

        (await call).Text.Should().Be("Late but here");
        client.Llm.Id.Should().Be(Backup);
        UpstreamModels().Should().Equal("gpt-primary", "gpt-backup");
        client.Attempts[0].Should().StartWith("primary: upstream_timeout: ").And.Contain("did not answer within 10 s");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheFirstLlmTimesOutBeforeItsFirstByte_TheFallbackStreams()
    {
        _fake.Respond(_fake.StallAsync, context => _wire.WriteStreamAsync(_fake, context, ["Late ", "but here"], "stop", 12, 2, StreamEnding.Complete));
        var client = Fallback();

        var call = CollectAsync(client.GetStreamingResponseAsync(Question()));
        await _fake.WaitForRequestsAsync(1);
        await _time.WaitForTimerAsync(s_timeout);
        _time.Advance(s_timeout);

        string.Concat((await call).Select(u => u.Text)).Should().Be("Late but here");
        client.Llm.Id.Should().Be(Backup);
        UpstreamModels().Should().Equal("gpt-primary", "gpt-backup");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheStreamFailsAfterItsFirstByte_DoesNotFallBack()
    {
        _fake.Respond(context => _wire.WriteStreamAsync(_fake, context, ["Half an "], "stop", 0, 0, StreamEnding.Error));
        var client = Fallback();
        var received = new List<ChatResponseUpdate>();

        var act = () => CollectAsync(client.GetStreamingResponseAsync(Question()), received);

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.CanFallBack.Should().BeFalse();
        string.Concat(received.Select(u => u.Text)).Should().Be("Half an ");
        UpstreamModels().Should().Equal("gpt-primary");
        client.Llm.Id.Should().Be(Primary);
        client.Attempts.Should().ContainSingle().Which.Should().StartWith("primary: upstream_error: ");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheStreamStallsAfterItsFirstByte_TimesOutWithoutFallingBack()
    {
        _fake.Respond(context => _wire.WriteStreamAsync(_fake, context, ["Hello"], "stop", 0, 0, StreamEnding.Stall));
        var client = Fallback();
        Task? advancing = null;

        var act = () => CollectAsync(client.GetStreamingResponseAsync(Question()), onUpdate: update =>
        {
            if (update.Text == "Hello")
            {
                _time.ForgetTimers();
                advancing = Task.Run(async () =>
                {
                    await _time.WaitForTimerAsync(s_timeout);
                    _time.Advance(s_timeout);
                });
            }
        });

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Message.Should().Contain("stopped sending");
        await advancing!;
        UpstreamModels().Should().Equal("gpt-primary");
    }

    [Fact]
    public async Task GetResponseAsync_WhenTheFirstLlmRefusesTheRequestWith400_DoesNotFallBack()
    {
        _fake.Respond(context => _wire.WriteErrorAsync(context, 400, "Invalid value for 'messages'."));
        var client = Fallback();

        var error = (await client.Awaiting(c => c.GetResponseAsync(Question())).Should().ThrowAsync<UpstreamException>()).Which;

        error.CanFallBack.Should().BeFalse();
        error.Message.Should().Contain("400");
        UpstreamModels().Should().Equal("gpt-primary");
    }

    [Fact]
    public async Task GetResponseAsync_WhenEveryLlmFails_ThrowsTheLastFailure()
    {
        _fake.Respond(
            context => _wire.WriteErrorAsync(context, 503, "primary is overloaded"),
            context => _wire.WriteErrorAsync(context, 503, "primary is overloaded"),
            context => _wire.WriteErrorAsync(context, 500, "backup broke"));

        var client = Fallback();
        var error = (await client.Awaiting(c => c.GetResponseAsync(Question())).Should().ThrowAsync<UpstreamException>()).Which;

        error.Message.Should().Contain("500").And.Contain("backup broke").And.NotContain(ApiKey);
        client.Llm.Id.Should().Be(Backup);
        client.Attempts.Should().HaveCount(2);
        UpstreamModels().Should().Equal("gpt-primary", "gpt-primary", "gpt-backup", "gpt-backup");
    }

    [Fact]
    public async Task GetResponseAsync_WhenTheCallerCancels_DoesNotFallBack()
    {
        _fake.Respond(_fake.StallAsync);
        using var cancellation = new CancellationTokenSource();
        var client = Fallback();

        var call = client.GetResponseAsync(Question(), cancellationToken: cancellation.Token);
        await _fake.WaitForRequestsAsync(1);
        await cancellation.CancelAsync();

        await call.Awaiting(c => c).Should().ThrowAsync<OperationCanceledException>();
        UpstreamModels().Should().Equal("gpt-primary");
        client.Attempts.Should().BeEmpty();
    }

    private LlmFallbackChatClient Fallback(string first = Primary, string then = Backup)
    {
        var catalog = _services.GetRequiredService<ILlmCatalog>();
        var clients = _services.GetRequiredService<ILlmClientProvider>();
        return new LlmFallbackChatClient([Route(first), Route(then)]);

        LlmRoute Route(string id)
        {
            var llm = catalog.Find(id)!;
            return new LlmRoute(llm, clients.GetClient(llm));
        }
    }

    private List<string?> UpstreamModels() => _fake.Requests.Select(r => r.Json.GetProperty("model").GetString()).ToList();

    private static List<ChatMessage> Question() => [new(ChatRole.User, "Say hello")];

    private static async Task<List<ChatResponseUpdate>> CollectAsync(
        IAsyncEnumerable<ChatResponseUpdate> updates, List<ChatResponseUpdate>? into = null, Action<ChatResponseUpdate>? onUpdate = null)
    {
        into ??= [];
        await foreach (var update in updates)
        {
            into.Add(update);
            onUpdate?.Invoke(update);
        }

        return into;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Devana.Infrastructure.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients;

/// <summary>
/// The behaviour every upstream client shares, run through the provider's real client library against a fake
/// server that speaks the provider's documented wire (<see cref="UpstreamWire"/>, supplied by the derived class)
/// and refuses, with the documented error, a request that breaks it. Time is a <see cref="ManualTimeProvider"/>:
/// timeouts and <c>Retry-After</c> delays pass only when a test moves it, and tests wait on events (a request
/// received, a timer started), never on the wall clock. Retries without <c>Retry-After</c> have no delay.
/// </summary>
public abstract class UpstreamChatClientTestsBase : IAsyncLifetime
{
    protected const string ModelId = "test-model";
    protected const string ProviderName = "upstream";
    protected const string ApiKey = "sk-test-0123456789abcdefSECRET";
    protected const string WrongKey = "sk-wrong-9876543210fedcbaSECRET";
    protected const int MaxRetries = 2;
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly List<ServiceProvider> _services = [];

    protected FakeUpstream Fake { get; private set; } = null!;

    protected UpstreamWire Wire { get; private set; } = null!;

    protected ManualTimeProvider Time { get; } = new();

    protected abstract LlmProviderType ProviderType { get; }

    protected abstract string UpstreamModel { get; }

    protected abstract string BaseUrl(Uri root);

    /// <summary>The provider's documented wire, accepting <paramref name="apiKey"/>.</summary>
    protected abstract UpstreamWire CreateWire(string apiKey);

    /// <summary>Extra provider settings (<c>Devana:Llm:Providers:upstream:*</c>) the provider type needs.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraProviderSettings => new Dictionary<string, string?>();

    /// <summary>Asserts that the request asked the upstream for a JSON answer.</summary>
    protected abstract void AssertAskedForJson(ReceivedRequest request);

    public async Task InitializeAsync()
    {
        Wire = CreateWire(ApiKey);
        Fake = await FakeUpstream.StartAsync(Wire);
    }

    public async Task DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        await Fake.DisposeAsync();
    }

    protected Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        Wire.WriteAnswerAsync(context, text, finishReason, promptTokens, completionTokens);

    protected Task WriteStreamAsync(
        HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete) =>
        Wire.WriteStreamAsync(Fake, context, pieces, finishReason, promptTokens, completionTokens, ending);

    protected Task WriteErrorAsync(HttpContext context, int status, string message, TimeSpan? retryAfter = null) =>
        Wire.WriteErrorAsync(context, status, message, retryAfter: retryAfter);

    /// <summary>A service provider over <see cref="LlmSetup.AddLlm"/>, on <see cref="Time"/>, disposed with the test.</summary>
    protected ServiceProvider BuildServices(
        string baseUrl, string? apiKey, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Devana:Llm:DefaultModel"] = ModelId,
            [$"Devana:Llm:Providers:{ProviderName}:Type"] = ProviderType.ToString(),
            [$"Devana:Llm:Providers:{ProviderName}:BaseUrl"] = baseUrl,
            [$"Devana:Llm:Providers:{ProviderName}:ApiKey"] = apiKey,
            [$"Devana:Llm:Providers:{ProviderName}:TimeoutSeconds"] = Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            [$"Devana:Llm:Providers:{ProviderName}:MaxRetries"] = MaxRetries.ToString(CultureInfo.InvariantCulture),
            [$"Devana:Llm:Providers:{ProviderName}:RetryDelayMilliseconds"] = "0",
            ["Devana:Llm:Models:0:Id"] = ModelId,
            ["Devana:Llm:Models:0:Provider"] = ProviderName,
            ["Devana:Llm:Models:0:UpstreamModel"] = UpstreamModel,
            ["Devana:Llm:Models:0:ContextWindow"] = "8000",
            ["Devana:Llm:Models:0:MaxOutputTokens"] = "1000",
        };
        foreach (var (key, value) in ExtraProviderSettings.Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[$"Devana:Llm:Providers:{ProviderName}:{key}"] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(Time);
        configure?.Invoke(services);
        var provider = services.AddLlm(configuration).BuildServiceProvider();
        _services.Add(provider);
        return provider;
    }

    protected IChatClient Client(ServiceProvider? services = null)
    {
        services ??= _services.FirstOrDefault() ?? BuildServices(BaseUrl(Fake.Root), ApiKey);
        var catalog = services.GetRequiredService<ILlmCatalog>();
        return services.GetRequiredService<ILlmClientProvider>().GetClient(catalog.Find(ModelId)!);
    }

    protected static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "Hi"),
        new(ChatRole.Assistant, "Hello."),
        new(ChatRole.User, "Say hello there"),
    ];

    protected static ChatOptions SamplingOptions() => new()
    {
        Temperature = 0.3f,
        TopP = 0.9f,
        MaxOutputTokens = 64,
        StopSequences = ["END", "STOP"],
    };

    protected static async Task<List<ChatResponseUpdate>> CollectAsync(
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

    /// <summary>Runs <paramref name="action"/> once the client waits on its next read of the body (its idle timer has started).</summary>
    protected Task WhenTheNextReadWaitsAsync(Action action)
    {
        Time.ForgetTimers();
        return Task.Run(async () =>
        {
            await Time.WaitForTimerAsync(Timeout);
            action();
        });
    }

    [Fact]
    public async Task GetResponseAsync_WhenUpstreamAnswers_ReturnsTextUsageAndStopFinishReason()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        var response = await Client().GetResponseAsync(Conversation(), SamplingOptions());

        response.Text.Should().Be("Hello there");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.InputTokenCount.Should().Be(12);
        response.Usage.OutputTokenCount.Should().Be(3);
        response.Usage.TotalTokenCount.Should().Be(15);
        Fake.Requests.Should().ContainSingle().Which.Refusal.Should().BeNull();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenUpstreamStreams_YieldsEachPieceThenLengthAndUsage()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello", " there", " friend"], Wire.LengthFinishReason, 12, 3));

        var updates = await CollectAsync(Client().GetStreamingResponseAsync(Conversation(), SamplingOptions()));

        updates.Where(u => u.Text.Length > 0).Select(u => u.Text).Should().Equal("Hello", " there", " friend");
        updates.Select(u => u.FinishReason).Should().Contain(ChatFinishReason.Length);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Should().ContainSingle().Subject.Details;
        usage.InputTokenCount.Should().Be(12);
        usage.OutputTokenCount.Should().Be(3);
        var response = updates.ToChatResponse();
        response.Text.Should().Be("Hello there friend");
        response.FinishReason.Should().Be(ChatFinishReason.Length);
        Fake.Requests.Should().ContainSingle().Which.Refusal.Should().BeNull();
    }

    [Fact]
    public async Task GetResponseAsync_WhenJsonIsAsked_AsksUpstreamForJson()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "{\"a\": 1}", "stop", 5, 5));

        var response = await Client().GetResponseAsync(Conversation(), new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        response.Text.Should().Be("{\"a\": 1}");
        AssertAskedForJson(Fake.Requests.Should().ContainSingle().Subject);
    }

    [Fact]
    public async Task GetResponseAsync_WithTheWrongKey_IsRefusedWithTheDocumentedErrorAndNamesTheProviderNotTheKey()
    {
        var services = BuildServices(BaseUrl(Fake.Root), WrongKey);

        var act = () => Client(services).GetResponseAsync(Conversation());

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        var refusal = Fake.Requests.Should().ContainSingle("a refused key is not retried").Which.Refusal;
        refusal.Should().NotBeNull();
        refusal!.Status.Should().Be(401);
        error.IsTimeout.Should().BeFalse();
        error.Code.Should().Be(ErrorCodes.UpstreamError);
        error.Message.Should().Contain($"provider '{ProviderName}'").And.Contain("401").And.Contain(refusal.Kind);
        error.ToString().Should().NotContain(WrongKey).And.NotContain(ApiKey);
    }

    [Fact]
    public async Task GetResponseAsync_ForEachDocumentedError_ReportsItsKindAndRetriesOnlyTransientOnes()
    {
        foreach (var documented in Wire.Errors)
        {
            Fake.ClearRequests();
            Fake.Respond(context => WriteErrorAsync(context, documented.Status, $"documented {documented.Kind} with key {ApiKey}"));

            var act = () => Client().GetResponseAsync(Conversation());

            var error = (await act.Should().ThrowAsync<UpstreamException>(documented.Kind)).Which;
            error.Code.Should().Be(ErrorCodes.UpstreamError);
            error.Message.Should().Contain($"provider '{ProviderName}'").And.Contain(documented.Status.ToString(CultureInfo.InvariantCulture))
                .And.Contain($"documented {documented.Kind}");
            error.ToString().Should().NotContain(ApiKey);
            Fake.Requests.Should().HaveCount(documented.Retried ? 1 + MaxRetries : 1, $"{documented.Status} {documented.Kind}");
        }
    }

    [Fact]
    public async Task GetResponseAsync_WhenUpstreamAnswers429ThenSucceeds_RetriesAndReturnsTheAnswer()
    {
        Fake.Respond(
            context => WriteErrorAsync(context, 429, "Slow down"),
            context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        var response = await Client().GetResponseAsync(Conversation(), SamplingOptions());

        response.Text.Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(2);
        Fake.Requests[1].Body.Should().Be(Fake.Requests[0].Body);
    }

    [Fact]
    public async Task GetResponseAsync_When429CarriesRetryAfter_WaitsThatLongThenRetries()
    {
        var retryAfter = TimeSpan.FromSeconds(7);
        Fake.Respond(
            context => WriteErrorAsync(context, 429, "Slow down", retryAfter),
            context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        var call = Client().GetResponseAsync(Conversation());
        await Time.WaitForTimerAsync(retryAfter);
        Fake.Requests.Should().ContainSingle("the retry waits for the Retry-After");
        Time.Advance(retryAfter);
        var response = await call;

        response.Text.Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenUpstreamAnswers503ThenStreams_RetriesBeforeTheFirstByte()
    {
        Fake.Respond(
            context => WriteErrorAsync(context, 503, "Overloaded"),
            context => WriteStreamAsync(context, ["Hello", " there"], "stop", 12, 2));

        var updates = await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        updates.ToChatResponse().Text.Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenTheStreamCarriesAnError_ThrowsUpstreamErrorAfterThePiecesAndDoesNotRetry()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello"], "stop", 12, 2, StreamEnding.Error));
        var received = new List<ChatResponseUpdate>();

        var act = () => CollectAsync(Client().GetStreamingResponseAsync(Conversation()), received);

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Message.Should().Contain($"provider '{ProviderName}'");
        string.Concat(received.Select(u => u.Text)).Should().Be("Hello");
        Fake.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetResponseAsync_WhenConnectionIsRefused_ThrowsUpstreamError()
    {
        var services = BuildServices(BaseUrl(new Uri($"http://127.0.0.1:{ClosedPort()}/")), ApiKey);

        var act = () => Client(services).GetResponseAsync(Conversation());

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Message.Should().Contain("could not be reached");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenStreamIsCutMidway_ThrowsUpstreamErrorAfterThePiecesAndDoesNotRetry()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello", " there"], "stop", 12, 2, StreamEnding.Cut));
        var received = new List<ChatResponseUpdate>();

        var act = () => CollectAsync(Client().GetStreamingResponseAsync(Conversation()), received, _ =>
        {
            if (string.Concat(received.Select(u => u.Text)) == "Hello there")
            {
                Fake.Cut();
            }
        });

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Message.Should().Contain("in the middle of its answer");
        string.Concat(received.Select(u => u.Text)).Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetResponseAsync_WhenNoResponseHeadersComeWithinTheTimeout_ThrowsUpstreamTimeoutWithoutRetrying()
    {
        Fake.Respond(Fake.StallAsync);

        var call = Client().GetResponseAsync(Conversation());
        await Fake.WaitForRequestsAsync(1);
        // Moved only once the timeout's timer exists: moved before it, the timer would be due 10 s after that
        // and nothing would ever fire it (a hang seen once in CI).
        await Time.WaitForTimerAsync(Timeout);
        Time.Advance(Timeout);

        var error = (await call.Awaiting(c => c).Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Code.Should().Be(ErrorCodes.UpstreamTimeout);
        error.Message.Should().Contain("did not answer within 10 s");
        Fake.Requests.Should().HaveCount(1, "a timed-out attempt is not retried");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenNoResponseHeadersComeWithinTheTimeout_ThrowsUpstreamTimeout()
    {
        Fake.Respond(Fake.StallAsync);

        var call = CollectAsync(Client().GetStreamingResponseAsync(Conversation()));
        await Fake.WaitForRequestsAsync(1);
        // Moved only once the timeout's timer exists: moved before it, the timer would be due 10 s after that
        // and nothing would ever fire it (a hang seen once in CI).
        await Time.WaitForTimerAsync(Timeout);
        Time.Advance(Timeout);

        (await call.Awaiting(c => c).Should().ThrowAsync<UpstreamException>()).Which.IsTimeout.Should().BeTrue();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenStreamStallsMidway_ThrowsUpstreamTimeout()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello"], "stop", 0, 0, StreamEnding.Stall));
        var received = new List<ChatResponseUpdate>();
        Task? advancing = null;

        var act = () => CollectAsync(Client().GetStreamingResponseAsync(Conversation()), received, update =>
        {
            if (update.Text == "Hello")
            {
                advancing = WhenTheNextReadWaitsAsync(() => Time.Advance(Timeout));
            }
        });

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Message.Should().Contain("stopped sending");
        string.Concat(received.Select(u => u.Text)).Should().Be("Hello");
        await advancing!;
    }

    [Fact]
    public async Task GetResponseAsync_WhenCallerCancels_ThrowsOperationCanceled()
    {
        Fake.Respond(Fake.StallAsync);
        using var cancellation = new CancellationTokenSource();

        var call = Client().GetResponseAsync(Conversation(), cancellationToken: cancellation.Token);
        await Fake.WaitForRequestsAsync(1);
        await cancellation.CancelAsync();

        await call.Awaiting(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenCallerCancelsDuringAStalledRead_ThrowsOperationCanceledWithoutWaitingForTheTimeout()
    {
        // Time never moves in this test: the call can only end through the cancellation.
        Fake.Respond(context => WriteStreamAsync(context, ["Hello"], "stop", 0, 0, StreamEnding.Stall));
        using var cancellation = new CancellationTokenSource();
        Task? cancelling = null;

        var act = async () =>
        {
            await foreach (var update in Client().GetStreamingResponseAsync(Conversation(), cancellationToken: cancellation.Token))
            {
                if (update.Text == "Hello")
                {
                    cancelling = WhenTheNextReadWaitsAsync(cancellation.Cancel);
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        await cancelling!;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

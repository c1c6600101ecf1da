using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Devana.Application.Common.Exceptions;
using Devana.Application.Llm;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Devana.Infrastructure.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients;

/// <summary>
/// The behaviour every upstream client shares, run against a fake server that speaks the provider's wire
/// format (the derived class supplies it). Retry delays are 1 ms. The timeout is 10 s, so that a cold start
/// on a busy machine is not mistaken for a slow upstream, except in the timeout tests, which use 1 s
/// after a warm-up call.
/// </summary>
public abstract class UpstreamChatClientTestsBase : IAsyncLifetime
{
    protected const string ModelId = "test-model";
    protected const string ApiKey = "sk-test-0123456789abcdefSECRET";
    protected const int MaxRetries = 2;

    private const int TimeoutSeconds = 10;
    private const int ShortTimeoutSeconds = 1;

    private readonly List<ServiceProvider> _services = [];

    protected FakeUpstream Fake { get; private set; } = null!;

    protected abstract LlmProviderType ProviderType { get; }

    protected abstract string UpstreamModel { get; }

    /// <summary>The path the client must post to.</summary>
    protected abstract string ChatPath { get; }

    /// <summary>The provider's wire name for "stopped at the token limit".</summary>
    protected abstract string LengthFinishReason { get; }

    protected abstract string BaseUrl(Uri root);

    protected abstract Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens);

    /// <summary>Streams the pieces, then ends the stream as <paramref name="ending"/> says.</summary>
    protected abstract Task WriteStreamAsync(
        HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete);

    protected abstract Task WriteErrorAsync(HttpContext context, int status, string message);

    /// <summary>Asserts that the request asked the upstream for a JSON answer.</summary>
    protected abstract void AssertAskedForJson(ReceivedRequest request);

    public async Task InitializeAsync()
    {
        Fake = await FakeUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        await Fake.DisposeAsync();
    }

    /// <summary>A service provider over <see cref="AddLlm"/>, disposed with the test.</summary>
    protected ServiceProvider BuildServices(string baseUrl, string? apiKey, int timeoutSeconds = TimeoutSeconds)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Devana:Llm:DefaultModel"] = ModelId,
            ["Devana:Llm:Providers:upstream:Type"] = ProviderType.ToString(),
            ["Devana:Llm:Providers:upstream:BaseUrl"] = baseUrl,
            ["Devana:Llm:Providers:upstream:ApiKey"] = apiKey,
            ["Devana:Llm:Providers:upstream:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana:Llm:Providers:upstream:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Devana:Llm:Providers:upstream:RetryDelayMilliseconds"] = "1",
            ["Devana:Llm:Models:0:Id"] = ModelId,
            ["Devana:Llm:Models:0:Provider"] = "upstream",
            ["Devana:Llm:Models:0:UpstreamModel"] = UpstreamModel,
            ["Devana:Llm:Models:0:ContextWindow"] = "8000",
            ["Devana:Llm:Models:0:MaxOutputTokens"] = "1000",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = new ServiceCollection().AddLlm(configuration).BuildServiceProvider();
        _services.Add(provider);
        return provider;
    }

    protected IChatClient Client(ServiceProvider? services = null)
    {
        services ??= _services.FirstOrDefault() ?? BuildServices(BaseUrl(Fake.Root), ApiKey);
        var catalog = services.GetRequiredService<ILlmCatalog>();
        return services.GetRequiredService<ILlmClientProvider>().GetClient(catalog.Find(ModelId)!);
    }

    /// <summary>
    /// A client with a 1 s timeout. A call through the long-timeout client first compiles the code paths,
    /// so that the short timeout measures the fake upstream, not the JIT. The warm-up's requests are forgotten.
    /// </summary>
    protected async Task<IChatClient> ShortTimeoutClientAsync()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "warm", "stop", 1, 1), context => WriteStreamAsync(context, ["warm"], "stop", 1, 1));
        await Client().GetResponseAsync(Conversation());
        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));
        Fake.ClearRequests();
        return Client(BuildServices(BaseUrl(Fake.Root), ApiKey, ShortTimeoutSeconds));
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

    protected static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates, List<ChatResponseUpdate>? into = null)
    {
        into ??= [];
        await foreach (var update in updates)
        {
            into.Add(update);
        }

        return into;
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
        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be(ChatPath);
        request.Method.Should().Be("POST");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenUpstreamStreams_YieldsEachPieceThenLengthAndUsage()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello", " there", " friend"], LengthFinishReason, 12, 3));

        var updates = await CollectAsync(Client().GetStreamingResponseAsync(Conversation(), SamplingOptions()));

        updates.Where(u => u.Text.Length > 0).Select(u => u.Text).Should().Equal("Hello", " there", " friend");
        updates.Select(u => u.FinishReason).Should().Contain(ChatFinishReason.Length);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Should().ContainSingle().Subject.Details;
        usage.InputTokenCount.Should().Be(12);
        usage.OutputTokenCount.Should().Be(3);
        var response = updates.ToChatResponse();
        response.Text.Should().Be("Hello there friend");
        response.FinishReason.Should().Be(ChatFinishReason.Length);
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
    public async Task GetResponseAsync_WhenUpstreamKeepsFailingWith500_ThrowsUpstreamErrorWithItsMessageAndNoKey()
    {
        Fake.Respond(context => WriteErrorAsync(context, 500, $"The model crashed while using key {ApiKey}"));

        var act = () => Client().GetResponseAsync(Conversation());

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Code.Should().Be(ErrorCodes.UpstreamError);
        error.Message.Should().Contain("500").And.Contain("The model crashed while using key");
        error.Message.Should().NotContain(ApiKey);
        error.ToString().Should().NotContain(ApiKey);
        Fake.Requests.Should().HaveCount(1 + MaxRetries);
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
    public async Task GetResponseAsync_WhenUpstreamAnswers400_ThrowsUpstreamErrorWithoutRetrying()
    {
        Fake.Respond(context => WriteErrorAsync(context, 400, "max_tokens is too large"));

        var act = () => Client().GetResponseAsync(Conversation());

        (await act.Should().ThrowAsync<UpstreamException>()).Which.Message.Should().Contain("400").And.Contain("max_tokens is too large");
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

        var act = () => CollectAsync(Client().GetStreamingResponseAsync(Conversation()), received);

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Message.Should().Contain("in the middle of its answer");
        string.Concat(received.Select(u => u.Text)).Should().Be("Hello there");
        Fake.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetResponseAsync_WhenFirstByteComesAfterTheTimeout_ThrowsUpstreamTimeout()
    {
        var client = await ShortTimeoutClientAsync();
        Fake.Respond(FakeUpstream.StallAsync);
        var watch = Stopwatch.StartNew();

        var act = () => client.GetResponseAsync(Conversation());

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Code.Should().Be(ErrorCodes.UpstreamTimeout);
        error.Message.Should().Contain("did not answer within 1 s");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        Fake.Requests.Should().HaveCount(1, "a timed-out attempt is not retried");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenFirstByteComesAfterTheTimeout_ThrowsUpstreamTimeout()
    {
        var client = await ShortTimeoutClientAsync();
        Fake.Respond(FakeUpstream.StallAsync);

        var act = () => CollectAsync(client.GetStreamingResponseAsync(Conversation()));

        (await act.Should().ThrowAsync<UpstreamException>()).Which.IsTimeout.Should().BeTrue();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenStreamStallsMidway_ThrowsUpstreamTimeout()
    {
        var client = await ShortTimeoutClientAsync();
        Fake.Respond(context => WriteStreamAsync(context, ["Hello"], "stop", 0, 0, StreamEnding.Stall));
        var received = new List<ChatResponseUpdate>();

        var act = () => CollectAsync(client.GetStreamingResponseAsync(Conversation()), received);

        var error = (await act.Should().ThrowAsync<UpstreamException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Message.Should().Contain("stopped sending");
        string.Concat(received.Select(u => u.Text)).Should().Be("Hello");
    }

    [Fact]
    public async Task GetResponseAsync_WhenCallerCancels_ThrowsOperationCanceled()
    {
        Fake.Respond(FakeUpstream.StallAsync);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => Client().GetResponseAsync(Conversation(), cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenCallerCancelsDuringAStalledRead_ThrowsOperationCanceledAtOnce()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hello"], "stop", 0, 0, StreamEnding.Stall));
        using var cancellation = new CancellationTokenSource();
        var watch = new Stopwatch();
        using var registration = cancellation.Token.Register(watch.Start);

        var act = async () =>
        {
            await foreach (var update in Client().GetStreamingResponseAsync(Conversation(), cancellationToken: cancellation.Token))
            {
                if (update.Text.Length > 0)
                {
                    // Later, while the client waits on a read of the stalled stream.
                    cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "cancellation must not wait for the upstream's 10 s timeout");
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

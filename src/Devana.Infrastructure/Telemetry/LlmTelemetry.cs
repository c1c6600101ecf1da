using System.Collections.Concurrent;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Infrastructure.Telemetry;

/// <summary>
/// The LLM call as a span and metrics following the OpenTelemetry GenAI semantic conventions, through
/// Microsoft.Extensions.AI's <see cref="OpenTelemetryChatClient"/> (<c>gen_ai.*</c> attributes,
/// <c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>). Message contents stay out
/// unless <see cref="TelemetrySettings.EnableSensitiveData"/> is on.
/// </summary>
/// <remarks>
/// An <see cref="OpenTelemetryChatClient"/> owns an ActivitySource and a Meter, registered process-wide until
/// it is disposed, so one is kept per LLM for the host's life; the client under it is asked for on every call
/// (<see cref="CurrentChatClient"/>), since the LLM clients are renewed with their HTTP handlers
/// (<c>LlmClientProvider</c>). When no exporter is on, the clients are returned bare: nothing would read the telemetry.
/// </remarks>
internal sealed class LlmTelemetry(TelemetrySettings settings) : IDisposable
{
    /// <summary>The ActivitySource and Meter of the LLM spans and <c>gen_ai.*</c> metrics.</summary>
    public const string SourceName = TelemetrySettings.LlmSourceName;

    private readonly ConcurrentDictionary<string, OpenTelemetryChatClient> _clients = new(StringComparer.Ordinal);

    /// <summary>
    /// The client for one call to <paramref name="model"/>; <paramref name="create"/> gives the bare client
    /// (and is kept, for this LLM, to give the next calls' too, so it must depend on the LLM only).
    /// </summary>
    public IChatClient Instrument(LlmModel model, Func<IChatClient> create)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(create);
        if (!settings.Enabled)
        {
            return create();
        }

        return _clients.GetOrAdd(model.Id, static (_, state) => new OpenTelemetryChatClient(new CurrentChatClient(state.Model, state.Create), sourceName: SourceName)
        {
            EnableSensitiveData = state.Sensitive,
        }, (Model: model, Create: create, Sensitive: settings.EnableSensitiveData));
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    /// <summary>Asks for the LLM's current client on every call, and describes the LLM (provider, address, upstream model) to the span.</summary>
    private sealed class CurrentChatClient(LlmModel model, Func<IChatClient> create) : IChatClient
    {
        private readonly Lazy<ChatClientMetadata> _metadata = new(() =>
        {
            var inner = create().GetService<ChatClientMetadata>();
            return new ChatClientMetadata(
                inner?.ProviderName ?? model.ProviderType.ToString().ToLowerInvariant(),
                inner?.ProviderUri,
                model.UpstreamModel);
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            create().GetResponseAsync(messages, options, cancellationToken);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            create().GetStreamingResponseAsync(messages, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            ArgumentNullException.ThrowIfNull(serviceType);
            return serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata.Value : null;
        }

        public void Dispose()
        {
        }
    }
}

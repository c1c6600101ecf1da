using System.Net;
using Devana.Application.Common.Telemetry;
using Devana.Application.Llm;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// One named <see cref="HttpClient"/> per upstream provider. From the outside in:
/// <list type="number">
/// <item><see cref="UpstreamStatusHandler"/>: a final error status becomes an exception with the upstream's message;</item>
/// <item>retry (Microsoft.Extensions.Http.Resilience): connection failures, 408, 429 and 5xx, exponential backoff with jitter;</item>
/// <item><see cref="UpstreamTimeoutHandler"/>: per attempt, the response headers must arrive within <c>TimeoutSeconds</c>,
/// and then each read of the body must return within it.</item>
/// </list>
/// A handler's work ends when the response headers are in, so nothing is retried once the body (and so a
/// stream) has begun. The SDKs' own retries and timeouts are switched off so that these are the only ones.
/// </summary>
internal static class UpstreamHttpClientRegistration
{
    /// <summary>A <c>Retry-After</c> longer than this is shortened to it: a request should fail rather than hang.</summary>
    internal static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddUpstreamHttpClient(this IServiceCollection services, LlmProviderSettings provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var builder = services.AddHttpClient(provider.HttpClientName, client =>
        {
            // UpstreamTimeoutHandler's timeouts are the ones that count; HttpClient's own would cut long answers.
            client.Timeout = Timeout.InfiniteTimeSpan;
            if (provider.Type == LlmProviderType.Ollama && provider.BaseUrl is { } baseUrl)
            {
                // OllamaSharp resolves "api/chat" against the base address.
                client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            }
        });
        builder.AddHttpMessageHandler(() => new UpstreamStatusHandler());
        if (provider.MaxRetries > 0)
        {
            builder.AddResilienceHandler("upstream-retry", (pipeline, context) => pipeline.AddRetry(RetryOptions(provider, context.ServiceProvider.GetService<DevanaMetrics>())));
        }

        builder.AddHttpMessageHandler(() => new UpstreamTimeoutHandler(provider.Timeout));
        return services;
    }

    internal static RetryStrategyOptions<HttpResponseMessage> RetryOptions(LlmProviderSettings provider, DevanaMetrics? metrics = null) => new()
    {
        OnRetry = args =>
        {
            metrics?.UpstreamRetried(provider.Name, args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : "connection");
            return ValueTask.CompletedTask;
        },
        MaxRetryAttempts = provider.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = provider.RetryDelay,
        MaxDelay = MaxRetryAfter,
        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
    };

    /// <summary>
    /// Connection failures and the statuses that mean "try again". Not an attempt that timed out
    /// (<see cref="UpstreamTimeoutException"/>): a second wait as long as the first would double the
    /// caller's wait for what is likely the same result.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } value || value <= TimeSpan.Zero)
        {
            // null: the exponential backoff decides.
            return null;
        }

        return value < MaxRetryAfter ? value : MaxRetryAfter;
    }
}

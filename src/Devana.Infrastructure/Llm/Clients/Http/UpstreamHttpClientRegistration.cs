using System.Globalization;
using Devana.Application.Common.Telemetry;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// One named <see cref="HttpClient"/> per upstream provider. From the outside in:
/// <list type="number">
/// <item><see cref="UpstreamStatusHandler"/>: a final error status becomes an exception with the upstream's message;</item>
/// <item>retry (Microsoft.Extensions.Http.Resilience's <see cref="HttpRetryStrategyOptions"/>): its transient outcomes
/// (connection failures, 408, 429, 5xx) with exponential backoff and jitter, or the upstream's <c>Retry-After</c>;</item>
/// <item><see cref="UpstreamTimeoutHandler"/>: per attempt, the response headers must arrive within <c>TimeoutSeconds</c>,
/// and then each read of the body must return within it.</item>
/// </list>
/// A handler's work ends when the response headers are in, so nothing is retried once the body (and so a
/// stream) has begun. The SDKs' own retries and timeouts are switched off so that these are the only ones.
/// Time comes from the container's <see cref="TimeProvider"/>, which Polly's pipeline builder also takes from it.
/// </summary>
internal static partial class UpstreamHttpClientRegistration
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
            builder.AddResilienceHandler("upstream-retry", (pipeline, context) =>
            {
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UpstreamHttpClientRegistration).FullName!);
                var metrics = context.ServiceProvider.GetService<DevanaMetrics>();
                pipeline.AddRetry(RetryOptions(provider, args => OnRetry(provider, args, logger, metrics)));
            });
        }

        builder.AddHttpMessageHandler(services => new UpstreamTimeoutHandler(provider.Timeout, services.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// The library's retry options (its transient classification and its <c>Retry-After</c> reading) with the
    /// provider's count and first delay. Two things are Devana's own: a <c>Retry-After</c> is capped at
    /// <see cref="MaxRetryAfter"/>, and an attempt that timed out (<see cref="UpstreamTimeoutException"/>, which
    /// the library does not count as transient) is not repeated, since a second wait as long as the first would
    /// double the caller's wait for what is likely the same result.
    /// </summary>
    internal static HttpRetryStrategyOptions RetryOptions(LlmProviderSettings provider, Func<OnRetryArguments<HttpResponseMessage>, ValueTask>? onRetry = null)
    {
        var options = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = provider.MaxRetries,
            Delay = provider.RetryDelay,
            MaxDelay = MaxRetryAfter,
            OnRetry = onRetry,
        };
        var retryAfter = options.DelayGenerator!;
        options.DelayGenerator = async args => await retryAfter(args) is { } delay ? (delay < MaxRetryAfter ? delay : MaxRetryAfter) : null;
        return options;
    }

    /// <summary>
    /// The one place every upstream retry passes through, before its delay: the place to count or report retries.
    /// </summary>
    internal static ValueTask OnRetry(LlmProviderSettings provider, OnRetryArguments<HttpResponseMessage> args, ILogger logger, DevanaMetrics? metrics)
    {
        var outcome = args.Outcome.Result is { } response
            ? $"{(int)response.StatusCode} ({response.StatusCode})"
            : args.Outcome.Exception?.GetType().Name ?? "unknown";
        LogRetry(logger, provider.Name, args.AttemptNumber + 1, outcome, args.RetryDelay.TotalMilliseconds);
        metrics?.UpstreamRetried(provider.Name, args.Outcome.Result is { } status ? ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture) : "connection");
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Retrying the upstream LLM (provider '{Provider}'), retry {Retry}, after {Outcome}; waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string provider, int retry, string outcome, double delayMs);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// Deletes counters whose window ended more than a day ago, every hour. A day of grace leaves room for
/// a long stream to settle into the window it reserved in; nothing reads older windows (history is the
/// usage ledger). Every host runs it; the deletes are idempotent.
/// </summary>
internal sealed partial class QuotaCounterJanitor(IServiceScopeFactory scopes, TimeProvider clock, ILogger<QuotaCounterJanitor> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Period, clock, stoppingToken);
                await PurgeOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<EfQuotaCounterStore>();
            var deleted = await store.PurgeAsync(clock.GetUtcNow() - Grace, cancellationToken);
            if (deleted > 0)
            {
                LogPurged(deleted);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPurgeFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Count} expired quota counters")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired quota counters; will try again in an hour")]
    private partial void LogPurgeFailed(Exception exception);
}

using Devana.Application.Quotas.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// The quota upkeep every instance runs, every E/3 (E = <c>Devana:Quotas:ReservationExpirySeconds</c>):
/// it renews the holds of the completions this instance is running, then settles expired holds of any
/// instance (<see cref="QuotaHoldKeeper"/>); and once an hour it deletes counters whose window ended more
/// than a day ago (a day of grace leaves room for a long stream to settle into the window it reserved in;
/// nothing reads older windows, history is the usage ledger). Every statement is safe to run from every
/// instance at once.
/// <para>It keeps running while the host shuts down and drains its streams (it stops when the host has
/// stopped, not when shutdown begins): a stream that is still draining keeps its hold renewed.</para>
/// </summary>
internal sealed partial class QuotaCounterJanitor(IServiceScopeFactory scopes, QuotaSettings settings, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<QuotaCounterJanitor> logger)
    : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private CancellationTokenRegistration _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopped = lifetime.ApplicationStopped.Register(_stop.Cancel);
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    /// <summary>Nothing to do yet: the loop runs on until the host has stopped (see the class remarks).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stopped.DisposeAsync();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var nextPurge = clock.GetUtcNow() + Period;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(settings.HoldRenewal, clock, stoppingToken);
                await KeepHoldsOnceAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await PurgeOnceAsync(stoppingToken);
                    nextPurge = clock.GetUtcNow() + Period;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host has stopped.
        }
    }

    /// <summary>One pass of the hold rule: renew this instance's holds, then settle expired ones. A failure is logged, never thrown.</summary>
    internal async Task KeepHoldsOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<QuotaHoldKeeper>().RenewAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRenewFailed(exception);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<QuotaHoldKeeper>().SettleExpiredAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSettleFailed(exception);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew this instance's quota holds; will try again at the next pass")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for expired quota holds; will try again at the next pass")]
    private partial void LogSettleFailed(Exception exception);
}

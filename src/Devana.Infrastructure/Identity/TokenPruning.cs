using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// <c>Devana:Identity:Pruning</c> (docs/identity.md): whether, how often and how old. Only entries created
/// more than <see cref="MinimumAge"/> ago are candidates, so a redeemed refresh token is kept for as long
/// as a replay of it must still be recognised (and its chain revoked); the default is the refresh tokens'
/// lifetime, as OpenIddict's own scheduler does.
/// </summary>
public sealed record TokenPruningSettings(bool Enabled, TimeSpan Interval, TimeSpan MinimumAge)
{
    public static readonly TokenPruningSettings Default = new(true, TimeSpan.FromHours(1), IdentitySetup.RefreshTokenLifetime);
}

/// <summary>What one pruning pass removed.</summary>
public sealed record TokenPruningResult(long Tokens, long Authorizations);

/// <summary>
/// Removes, every <see cref="TokenPruningSettings.Interval"/>, the tokens and authorizations that can no
/// longer be used (expired, revoked, redeemed, or whose authorization is no longer valid; ad-hoc
/// authorizations left without tokens) and were created more than <see cref="TokenPruningSettings.MinimumAge"/>
/// ago, through OpenIddict's managers' <c>PruneAsync</c>. Without it the token table grows with every
/// sign-in and refresh, forever. Every host runs it; the deletes are idempotent.
/// </summary>
internal sealed partial class TokenPruningService(IServiceScopeFactory scopes, TokenPruningSettings settings, TimeProvider clock, ILogger<TokenPruningService> logger) : BackgroundService
{
    /// <summary>Raised after every scheduled pass, with what it removed (null when it failed).</summary>
    public event Action<TokenPruningResult?>? Pruned;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(settings.Interval, clock, stoppingToken);
                TokenPruningResult? result = null;
                try
                {
                    result = await PruneOnceAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPruneFailed(exception, settings.Interval.TotalMinutes);
                }

                Pruned?.Invoke(result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: tokens first (removing them may leave ad-hoc authorizations without any), then authorizations.</summary>
    internal async Task<TokenPruningResult> PruneOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = clock.GetUtcNow() - settings.MinimumAge;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        if (tokens + authorizations > 0)
        {
            LogPruned(tokens, authorizations);
        }

        return new TokenPruningResult(tokens, authorizations);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tokens} tokens and {Authorizations} authorizations that could no longer be used")]
    private partial void LogPruned(long tokens, long authorizations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not prune tokens and authorizations; will try again in {Minutes} minutes")]
    private partial void LogPruneFailed(Exception exception, double minutes);
}

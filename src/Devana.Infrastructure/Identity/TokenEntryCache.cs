using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Devana.Infrastructure.Caching;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// Remembers, for a short while, that an access token's database entry (and its authorization's) was
/// found valid, so that a caller sending many requests with one token does not cost a token lookup per
/// request (docs/identity.md, "Revocation").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An entry lives <see cref="Lifetime"/> at most (<c>Devana:Identity:TokenEntryCacheSeconds</c>,
/// 0 to 60, default 30), and never past the token's own expiry.</item>
/// <item>Every write this process makes to OpenIddict's tokens, authorizations or applications (a
/// revocation, a redemption, a deleted client, a replayed refresh token) empties the cache when it is
/// committed (<see cref="TokenEntryCacheInvalidator"/>). So in one instance revocation still takes effect
/// on the next request; a revocation made by another instance sharing the database takes effect within
/// <see cref="Lifetime"/>.</item>
/// <item>A lookup that began before an invalidation cannot store what it read (a generation number is
/// taken before the database is read and checked when storing).</item>
/// </list>
/// Only verdicts of tokens whose signature, issuer, audience and lifetime already passed are stored,
/// keyed by the signed token id; every other check still runs on every request.
/// </remarks>
public sealed class TokenEntryCache(TimeSpan lifetime, TimeProvider clock)
{
    public const string LifetimeKey = "Devana:Identity:TokenEntryCacheSeconds";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(60);

    /// <summary>More than this many entries and the cache starts over: it stays small whatever the traffic.</summary>
    internal const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, TokenEntry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public TimeSpan Lifetime => lifetime;

    /// <summary>Reads <see cref="LifetimeKey"/>; a value outside 0–60 stops start-up naming the key.</summary>
    public static TimeSpan LifetimeFromConfiguration(IConfiguration configuration) =>
        CacheLifetime.Read(configuration, LifetimeKey, DefaultLifetime, MaxLifetime);

    public bool IsEnabled => lifetime > TimeSpan.Zero;

    /// <summary>Taken before reading the database; <see cref="Store"/> refuses what was read before an invalidation.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string tokenId, out TokenEntry entry)
    {
        if (_entries.TryGetValue(tokenId, out entry!) && entry.Generation == Generation && clock.GetUtcNow() < entry.CachedUntil)
        {
            return true;
        }

        entry = null!;
        return false;
    }

    public void Store(string tokenId, TokenEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsEnabled || entry.Generation != Generation)
        {
            return;
        }

        var until = clock.GetUtcNow() + lifetime;
        if (entry.ExpirationDate is { } expires && expires < until)
        {
            until = expires;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[tokenId] = entry with { CachedUntil = until };
        if (entry.Generation != Generation)
        {
            // Invalidated while storing: make sure the entry does not survive it.
            _entries.TryRemove(tokenId, out _);
        }
    }

    /// <summary>Forgets every entry, and every lookup still in flight.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}

/// <summary>What <see cref="RestoreTokenEntryProperties"/> restores from a valid token entry.</summary>
public sealed record TokenEntry(
    long Generation,
    DateTimeOffset? CreationDate,
    DateTimeOffset? ExpirationDate,
    string? AuthorizationId,
    string? TokenId,
    string? TokenType)
{
    public DateTimeOffset CachedUntil { get; init; }
}

/// <summary>
/// The OpenIddict validation handlers around the cache. <see cref="Register"/> puts <see cref="UseCachedEntry"/>
/// before <see cref="RestoreTokenEntryProperties"/>, makes that handler, <see cref="ValidateTokenEntry"/>
/// and <see cref="ValidateAuthorizationEntry"/> skip a token served from the cache (and only such a token),
/// and puts <see cref="StoreValidEntry"/> after them.
/// </summary>
internal static class TokenEntryCacheHandlers
{
    private const string GenerationProperty = ".devana_token_entry_generation";
    private const string ServedProperty = ".devana_token_entry_served";

    public static void Register(OpenIddictValidationBuilder validation)
    {
        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenEntryValidationEnabled>()
            .UseSingletonHandler<UseCachedEntry>()
            .SetOrder(RestoreTokenEntryProperties.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());

        validation.AddEventHandler(OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenEntryValidationEnabled>()
            .AddFilter<OpenIddictValidationHandlerFilters.RequireTokenIdResolved>()
            .AddFilter<RequireEntryNotServedFromCache>()
            .UseSingletonHandler<StoreValidEntry>()
            .SetOrder(ValidateAuthorizationEntry.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build());

        validation.Services.TryAddSingleton<RequireEntryNotServedFromCache>();

        // The three built-in handlers that read the database get one more filter. They are swapped in the
        // options' list rather than removed and added again: RemoveEventHandler removes by handler type in
        // a PostConfigure, which would also remove the re-added handler, silently.
        validation.Services.PostConfigure<OpenIddictValidationOptions>(options =>
        {
            var skipped = new[] { typeof(RestoreTokenEntryProperties), typeof(ValidateTokenEntry), typeof(ValidateAuthorizationEntry) };
            var found = 0;
            for (var i = 0; i < options.Handlers.Count; i++)
            {
                var descriptor = options.Handlers[i];
                if (skipped.Contains(descriptor.ServiceDescriptor.ServiceType) && !descriptor.FilterTypes.Contains(typeof(RequireEntryNotServedFromCache)))
                {
                    options.Handlers[i] = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                        .Import(descriptor)
                        .AddFilter<RequireEntryNotServedFromCache>()
                        .Build();
                    found++;
                }
            }

            if (found != skipped.Length)
            {
                throw new InvalidOperationException($"The token entry cache expected OpenIddict's validation handlers {string.Join(", ", skipped.Select(t => t.Name))}, and found {found} of them: check the cache against this OpenIddict version.");
            }
        });
    }

    private static bool WasServedFromCache(ValidateTokenContext context) =>
        context.Transaction.Properties.TryGetValue(ServedProperty, out var served) && ReferenceEquals(served, context);

    /// <summary>On a hit, restores what <see cref="RestoreTokenEntryProperties"/> would have from the database.</summary>
    internal sealed class UseCachedEntry(TokenEntryCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!cache.IsEnabled || context.Principal is null || context.Principal.GetTokenId() is not { Length: > 0 } tokenId)
            {
                return ValueTask.CompletedTask;
            }

            if (!cache.TryGet(tokenId, out var entry))
            {
                context.Transaction.Properties[GenerationProperty] = cache.Generation;
                return ValueTask.CompletedTask;
            }

            context.Principal
                .SetCreationDate(entry.CreationDate)
                .SetExpirationDate(entry.ExpirationDate)
                .SetAuthorizationId(context.AuthorizationId = entry.AuthorizationId)
                .SetTokenId(context.TokenId = entry.TokenId)
                .SetTokenType(entry.TokenType);
            context.Transaction.Properties[ServedProperty] = context;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>After the token and authorization entries were read and found valid: remember that.</summary>
    internal sealed class StoreValidEntry(TokenEntryCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!cache.IsEnabled || context.IsRejected || context.Principal is null
                || !context.Transaction.Properties.TryGetValue(GenerationProperty, out var generation) || generation is not long taken)
            {
                return ValueTask.CompletedTask;
            }

            var principal = context.Principal;
            cache.Store(context.TokenId!, new TokenEntry(
                taken,
                principal.GetCreationDate(),
                principal.GetExpirationDate(),
                context.AuthorizationId,
                context.TokenId,
                principal.GetTokenType()));
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class RequireEntryNotServedFromCache : IOpenIddictValidationHandlerFilter<ValidateTokenContext>
    {
        public ValueTask<bool> IsActiveAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return ValueTask.FromResult(!WasServedFromCache(context));
        }
    }
}

/// <summary>
/// Empties the <see cref="TokenEntryCache"/> after this process changes or deletes OpenIddict tokens,
/// authorizations or applications (SaveChanges, ExecuteUpdate/ExecuteDelete or raw SQL alike): at once
/// for a statement outside a transaction, and again when the transaction that held it commits, so that
/// a lookup made between the statement and the commit cannot keep the old state.
/// </summary>
internal sealed class TokenEntryCacheInvalidator(TokenEntryCache cache) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly string[] s_tables = ["OpenIddictTokens", "OpenIddictAuthorizations", "OpenIddictApplications"];
    private static readonly object s_pending = new();
    private readonly ConditionalWeakTable<DbTransaction, object> _pendingTransactions = [];

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    internal static bool ChangesOpenIddictEntries(string sql)
    {
        if (!sql.Contains("UPDATE", StringComparison.OrdinalIgnoreCase) && !sql.Contains("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var table in s_tables)
        {
            if (sql.Contains(table, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void Check(DbCommand command)
    {
        if (!cache.IsEnabled || !ChangesOpenIddictEntries(command.CommandText))
        {
            return;
        }

        cache.Invalidate();
        if (command.Transaction is { } transaction)
        {
            _pendingTransactions.AddOrUpdate(transaction, s_pending);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_pendingTransactions.TryGetValue(transaction, out _))
        {
            _pendingTransactions.Remove(transaction);
            cache.Invalidate();
        }
    }
}

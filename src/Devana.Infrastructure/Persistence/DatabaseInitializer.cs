using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations at start-up (unless <c>Devana:Database:MigrateOnStartup</c> is false).
/// A database that cannot be reached is logged by name (password removed) and left to
/// <c>/health/ready</c> to report; the service keeps running instead of crash-looping.
/// </summary>
public sealed class DatabaseInitializer(DevanaDbContext context, DatabaseOptions options, ILogger<DatabaseInitializer> logger)
{
    /// <returns>True when the schema is up to date.</returns>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        if (!options.MigrateOnStartup)
        {
            logger.LogInformation("Skipping migrations ({Key} is false)", DatabaseOptions.MigrateOnStartupKey);
            return true;
        }

        try
        {
            await context.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database {Provider} at {Connection} is up to date", options.Provider, options.RedactedConnectionString);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError("Could not migrate the {Provider} database at {Connection}: {Reason}. /health/ready answers 503 until it is reachable and migrated.", options.Provider, options.RedactedConnectionString, exception.Message);
            return false;
        }
    }
}

using System.Data.Common;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Persistence;

/// <summary>The database settings, read and checked once at start-up.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    public const string ProviderKey = "Devana:Database:Provider";
    public const string MigrateOnStartupKey = "Devana:Database:MigrateOnStartup";
    public const string ConnectionStringName = "Devana";
    public const string DefaultConnectionString = "Data Source=data/devana.db";

    /// <summary>Reads the settings; an unknown provider stops start-up with a message naming the key.</summary>
    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var rawProvider = configuration[ProviderKey];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(rawProvider))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!Enum.TryParse(rawProvider.Trim(), ignoreCase: true, out provider) || !Enum.IsDefined(provider))
        {
            throw new InvalidOperationException(
                $"Configuration key '{ProviderKey}' has the value '{rawProvider}', which is not a database provider. Allowed values: 'Sqlite' (the default), 'SqlServer' or 'Postgres'.");
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultConnectionString
                : throw new InvalidOperationException($"Configuration key 'ConnectionStrings:{ConnectionStringName}' is required when '{ProviderKey}' is '{provider}'.");
        }

        var migrate = configuration.GetValue(MigrateOnStartupKey, defaultValue: true);
        return new DatabaseOptions(provider, connectionString, migrate);
    }

    /// <summary>The connection string with any password removed, for log lines.</summary>
    public string RedactedConnectionString
    {
        get
        {
            try
            {
                var builder = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
                foreach (var key in new[] { "Password", "Pwd", "password", "pwd" })
                {
                    if (builder.ContainsKey(key))
                    {
                        builder[key] = "***";
                    }
                }

                return builder.ConnectionString;
            }
            catch (ArgumentException)
            {
                return "(unparseable connection string)";
            }
        }
    }
}

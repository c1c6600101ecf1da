using System.Globalization;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Quotas;

/// <summary>
/// Reads <c>Devana:Quotas:Default:*</c> and <c>Devana:Quotas:ReservationExpirySeconds</c> once at start-up;
/// a value out of range stops start-up naming the key.
/// </summary>
internal static class QuotaDefaultsReader
{
    public const string Section = "Devana:Quotas:Default";
    public const string ExpiryKey = "Devana:Quotas:ReservationExpirySeconds";

    /// <summary>E/3 must be at least a second, and a renewal every E/3 must not flood the database.</summary>
    public const int MinimumExpirySeconds = 3;

    public static QuotaSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new QuotaSettings(QuotaLimits.Create(
            ReadLimit(configuration, "RequestsPerMinute"),
            ReadLimit(configuration, "RequestsPerDay"),
            ReadLimit(configuration, "TokensPerDay"),
            ReadLimit(configuration, "TokensPerMonth")))
        {
            HoldExpiry = ReadExpiry(configuration),
        };
    }

    private static TimeSpan ReadExpiry(IConfiguration configuration)
    {
        var raw = configuration[ExpiryKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return QuotaSettings.DefaultHoldExpiry;
        }

        return int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= MinimumExpirySeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"Configuration key '{ExpiryKey}' has the value '{raw}', which is not a whole number of seconds of at least {MinimumExpirySeconds} (the default is {QuotaSettings.DefaultHoldExpiry.TotalSeconds:0}).");
    }

    private static long ReadLimit(IConfiguration configuration, string name)
    {
        var key = $"{Section}:{name}";
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return 0;
        }

        return long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Configuration key '{key}' has the value '{raw}', which is not a whole number of at least 0 (0 means no limit).");
    }
}

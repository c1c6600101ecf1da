using System.Globalization;
using Devana.Application.Quotas.Common;
using Devana.Domain.Quotas;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Quotas;

/// <summary>Reads <c>Devana:Quotas:Default:*</c> once at start-up; a value that is not a whole number ≥ 0 stops start-up naming the key.</summary>
internal static class QuotaDefaultsReader
{
    public const string Section = "Devana:Quotas:Default";

    public static QuotaSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new QuotaSettings(QuotaLimits.Create(
            ReadLimit(configuration, "RequestsPerMinute"),
            ReadLimit(configuration, "RequestsPerDay"),
            ReadLimit(configuration, "TokensPerDay"),
            ReadLimit(configuration, "TokensPerMonth")));
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

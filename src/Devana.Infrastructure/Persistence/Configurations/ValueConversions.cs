using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>Column sizes shared by the prefixed ids (<c>usr_</c> + 24 characters, or a slug).</summary>
internal static class EntityIds
{
    public const int MaxLength = 64;
}

/// <summary>Enums stored as their lowercase names (<c>owner</c>, <c>confidential</c>), as the API writes them.</summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    public static readonly ValueConverter<TEnum, string> Converter = new(
        value => value.ToString().ToLowerInvariant(),
        name => Enum.Parse<TEnum>(name, true));
}

/// <summary>A list of tokens stored as one space-separated string.</summary>
internal static class SpaceSeparated
{
    public static readonly ValueConverter<List<string>, string> Converter = new(
        values => string.Join(' ', values),
        text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList());

    public static readonly ValueComparer<List<string>> Comparer = new(
        (left, right) => left!.SequenceEqual(right!),
        values => Hash(values),
        values => values.ToList());

    // A static method rather than a nested lambda: EF Core compiles the comparer's expressions, and a
    // nested lambda would be turned into a delegate again on every call.
    private static int Hash(List<string> values)
    {
        var hash = 0;
        foreach (var value in values)
        {
            hash = HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(value));
        }

        return hash;
    }
}

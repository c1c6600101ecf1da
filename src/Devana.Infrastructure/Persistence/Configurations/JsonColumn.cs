using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>
/// Value conversions that store a small list or string map in one JSON text column (the same on
/// SQLite and SQL Server), with comparers that compare contents, so that replacing a list with an equal
/// one is no change and replacing it with a different one is.
/// </summary>
internal static class JsonColumn
{
    public static readonly ValueConverter<IReadOnlyList<string>, string> ListConverter = new(
        list => Serialize(list),
        json => DeserializeList(json));

    public static readonly ValueComparer<IReadOnlyList<string>> ListComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal))),
        list => list.ToArray());

    public static readonly ValueConverter<IReadOnlyDictionary<string, string>, string> MapConverter = new(
        map => Serialize(map),
        json => DeserializeMap(json));

    public static readonly ValueComparer<IReadOnlyDictionary<string, string>> MapComparer = new(
        (left, right) => left!.Count == right!.Count && left.All(pair => right.ContainsKey(pair.Key) && right[pair.Key] == pair.Value),
        map => map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key.GetHashCode(StringComparison.Ordinal), pair.Value.GetHashCode(StringComparison.Ordinal))),
        map => new Dictionary<string, string>(map, StringComparer.Ordinal));

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value);

    private static IReadOnlyList<string> DeserializeList(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static IReadOnlyDictionary<string, string> DeserializeMap(string json) =>
        new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Domain.Agents;
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
        (left, right) => ListEquals(left, right),
        list => ListHash(list),
        list => list.ToArray());

    public static readonly ValueConverter<IReadOnlyDictionary<string, string>, string> MapConverter = new(
        map => Serialize(map),
        json => DeserializeMap(json));

    public static readonly ValueComparer<IReadOnlyDictionary<string, string>> MapComparer = new(
        (left, right) => MapEquals(left, right),
        map => MapHash(map),
        map => new Dictionary<string, string>(map, StringComparer.Ordinal));

    /// <summary>An agent's tools (header values as the Application protected them), the method by name.</summary>
    public static readonly ValueConverter<IReadOnlyList<AgentTool>, string> ToolsConverter = new(
        tools => SerializeTools(tools),
        json => DeserializeTools(json));

    public static readonly ValueComparer<IReadOnlyList<AgentTool>> ToolsComparer = new(
        (left, right) => ToolsEqual(left, right),
        tools => tools.Count,
        tools => tools.ToArray());

    private static readonly JsonSerializerOptions s_tools = new() { Converters = { new JsonStringEnumConverter() } };

    private static string SerializeTools(IReadOnlyList<AgentTool> tools) => JsonSerializer.Serialize(tools, s_tools);

    private static IReadOnlyList<AgentTool> DeserializeTools(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<AgentTool[]>(json, s_tools) ?? [];

    private static bool ToolsEqual(IReadOnlyList<AgentTool>? left, IReadOnlyList<AgentTool>? right) => left!.SequenceEqual(right!);

    // The comparers call these instead of holding lambdas of their own: EF Core compiles a comparer's
    // expressions, and a lambda nested in a compiled expression is turned into a delegate again on every
    // call (DynamicMethod.CreateDelegate), which change detection pays for each tracked row.
    private static bool ListEquals(IReadOnlyList<string>? left, IReadOnlyList<string>? right) => left!.SequenceEqual(right!);

    private static int ListHash(IReadOnlyList<string> list)
    {
        var hash = 0;
        foreach (var item in list)
        {
            hash = HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal));
        }

        return hash;
    }

    private static bool MapEquals(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right)
    {
        if (left!.Count != right!.Count)
        {
            return false;
        }

        foreach (var pair in left)
        {
            if (!right.TryGetValue(pair.Key, out var value) || value != pair.Value)
            {
                return false;
            }
        }

        return true;
    }

    private static int MapHash(IReadOnlyDictionary<string, string> map)
    {
        var hash = 0;
        foreach (var pair in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            hash = HashCode.Combine(hash, pair.Key.GetHashCode(StringComparison.Ordinal), pair.Value.GetHashCode(StringComparison.Ordinal));
        }

        return hash;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value);

    private static IReadOnlyList<string> DeserializeList(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static IReadOnlyDictionary<string, string> DeserializeMap(string json) =>
        new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal);
}

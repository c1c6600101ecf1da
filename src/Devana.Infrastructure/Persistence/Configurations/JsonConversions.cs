using System.Text.Json;
using Devana.Domain.Conversations;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Devana.Infrastructure.Persistence.Configurations;

/// <summary>String-keyed metadata stored as one JSON text column, on both providers.</summary>
internal static class JsonConversions
{
    public static readonly ValueConverter<Dictionary<string, string>, string> DictionaryConverter = new(
        value => WriteDictionary(value),
        json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>());

    public static readonly ValueComparer<Dictionary<string, string>> DictionaryComparer = new(
        (left, right) => DictionaryEquals(left, right),
        value => DictionaryHash(value),
        value => new Dictionary<string, string>(value, StringComparer.Ordinal));

    /// <summary>A message's tool calls as one JSON array; an empty column (rows written before tool calls existed) reads as none.</summary>
    public static readonly ValueConverter<List<ToolCall>, string> ToolCallsConverter = new(
        value => WriteToolCalls(value),
        json => ReadToolCalls(json));

    public static readonly ValueComparer<List<ToolCall>> ToolCallsComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        value => value.Count,
        value => value.ToList());

    // Most rows have no metadata and no tool calls: their text is the serializer's, without running it (a completion
    // writes both on every message and conversation).
    private static string WriteDictionary(Dictionary<string, string> value) =>
        value.Count == 0 ? "{}" : JsonSerializer.Serialize(value, (JsonSerializerOptions?)null);

    private static string WriteToolCalls(List<ToolCall> value) =>
        value.Count == 0 ? "[]" : JsonSerializer.Serialize(value, (JsonSerializerOptions?)null);

    private static List<ToolCall> ReadToolCalls(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ToolCall>>(json, (JsonSerializerOptions?)null) ?? [];

    // Static methods rather than nested lambdas: EF Core compiles the comparer's expressions, and a nested
    // lambda would be turned into a delegate again on every call during change detection.
    private static bool DictionaryEquals(Dictionary<string, string>? left, Dictionary<string, string>? right) =>
        left!.Count == right!.Count && !left.Except(right).Any();

    private static int DictionaryHash(Dictionary<string, string> value)
    {
        var hash = 0;
        foreach (var pair in value)
        {
            hash = HashCode.Combine(hash, pair.Key.GetHashCode(StringComparison.Ordinal), pair.Value.GetHashCode(StringComparison.Ordinal));
        }

        return hash;
    }
}

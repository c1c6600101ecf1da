using System.Text.Json;
using System.Text.RegularExpressions;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// The checks OpenAI makes on a function's <c>parameters</c> and on a <c>json_schema</c> response format
/// before any LLM sees them: a JSON object describing an object, whose <c>properties</c> are schemas and
/// whose <c>required</c> names them. A deeper schema mistake is the upstream's to report.
/// </summary>
internal static partial class ToolSchemas
{
    public static bool IsValidName(string name) => Name().IsMatch(name);

    /// <summary>What is wrong with <paramref name="schema"/>, or null when it is usable.</summary>
    public static string? ProblemOf(JsonElement? schema)
    {
        if (schema is not { } root)
        {
            return "it is missing.";
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return "it must be a JSON object.";
        }

        if (root.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "object"))
        {
            return "its type must be \"object\".";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                return "properties must be an object of schemas.";
            }

            foreach (var property in properties.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
                {
                    return $"properties.{property.Name} must be a schema (an object).";
                }

                names.Add(property.Name);
            }
        }

        if (root.TryGetProperty("required", out var required))
        {
            if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                return "required must be an array of property names.";
            }

            var unknown = required.EnumerateArray().Select(r => r.GetString()!).FirstOrDefault(r => !names.Contains(r));
            if (unknown is not null)
            {
                return $"required names '{unknown}', which is not in properties.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex Name();
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Devana.Application.Llm.Common;
using Devana.Application.Tools;

namespace Devana.Infrastructure.Tools;

/// <summary>
/// What the LLM is given back from any tool (HTTP or MCP): the answer cut to
/// <see cref="ToolsSettings.MaxOutputTokens"/> tokens, the tool's secrets blanked out, failures as a JSON
/// <c>{"error": …}</c> object.
/// </summary>
internal sealed class ToolOutput(ToolsSettings settings, ITokenCounter tokens)
{
    public const string Redacted = "[redacted]";

    /// <summary>The LLM reads these errors: quotes and the like stay as written.</summary>
    public static readonly JsonSerializerOptions ErrorJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>At most <see cref="ToolsSettings.MaxOutputTokens"/> tokens, cut where the tokenizer says, with a note the LLM reads.</summary>
    public string CapTokens(string text)
    {
        var max = settings.MaxOutputTokens;
        if (tokens.CountTokens(text) <= max)
        {
            return text;
        }

        // The longest prefix within the cap: a token is at most a few dozen characters, then a binary search.
        var high = Math.Min(text.Length, max * 32);
        var low = 0;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (tokens.CountTokens(text[..middle]) <= max)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return $"{text[..low]}\n[truncated: the tool's answer was longer than {max} tokens]";
    }

    public static string Redact(string text, IEnumerable<string> secrets) =>
        secrets.Where(s => s.Length >= 4).Aggregate(text, (current, secret) => current.Replace(secret, Redacted, StringComparison.Ordinal));

    public static AgentToolResult Error(string message) => new(false, JsonSerializer.Serialize(new { error = message }, ErrorJson));
}

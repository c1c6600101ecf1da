using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Devana.Api.Completions;

/// <summary><c>stop</c>: a string or an array of strings, read as a list.</summary>
public sealed class StringOrArrayConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var values = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("The JSON value could not be converted: expected a string or an array of strings.");
                    }

                    values.Add(reader.GetString()!);
                }

                return values;
            default:
                throw new JsonException("The JSON value could not be converted: expected a string or an array of strings.");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

/// <summary>A message's <c>content</c>: a string, or an array of <c>{"type": "text", "text": …}</c> parts joined by newlines.</summary>
public sealed class MessageContentConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                using (var parts = JsonDocument.ParseValue(ref reader))
                {
                    foreach (var part in parts.RootElement.EnumerateArray())
                    {
                        if (part.ValueKind != JsonValueKind.Object
                            || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                            || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                        {
                            throw new JsonException("The JSON value could not be converted: only text content parts ({\"type\": \"text\", \"text\": \"…\"}) are supported.");
                        }

                        if (text.Length > 0)
                        {
                            text.Append('\n');
                        }

                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                throw new JsonException("The JSON value could not be converted: content must be a string or an array of text parts.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

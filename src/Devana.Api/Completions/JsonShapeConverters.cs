using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Api.Infrastructure;
using Devana.Application.Completions.CreateCompletion;

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
                        throw JsonShapeError.Of("must be a string or an array of strings.");
                    }

                    values.Add(reader.GetString()!);
                }

                return values;
            default:
                throw JsonShapeError.Of("must be a string or an array of strings.");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

/// <summary>
/// A message's <c>content</c>: a string, or an array of <c>{"type": "text", "text": …}</c> parts (joined by
/// newlines) and <c>{"type": "image_url", "image_url": {"url": …, "detail": …}}</c> parts.
/// </summary>
public sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    public override MessageContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new MessageContent(reader.GetString()!, []);
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                var images = new List<CompletionImage>();
                using (var parts = JsonDocument.ParseValue(ref reader))
                {
                    var index = 0;
                    foreach (var part in parts.RootElement.EnumerateArray())
                    {
                        if (TextOf(part) is { } partText)
                        {
                            if (text.Length > 0)
                            {
                                text.Append('\n');
                            }

                            text.Append(partText);
                        }
                        else if (ImageOf(part) is { } image)
                        {
                            images.Add(image);
                        }
                        else
                        {
                            throw JsonShapeError.Of(
                                $"must hold only {{\"type\": \"text\", \"text\": \"…\"}} and {{\"type\": \"image_url\", \"image_url\": {{\"url\": \"…\"}}}} parts; part {index} {Describe(part)}.");
                        }

                        index++;
                    }
                }

                return new MessageContent(text.ToString(), images);
            default:
                throw JsonShapeError.Of("must be a string or an array of content parts.");
        }
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);

    private static string? TextOf(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object
        && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "text"
        && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    /// <summary>What a refused part is, so that an OpenAI part Devana does not take (<c>input_audio</c>, <c>file</c>) is named.</summary>
    private static string Describe(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return part.ValueKind == JsonValueKind.Null ? "is null" : "is not an object";
        }

        if (!part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return "has no type";
        }

        return type.GetString() switch
        {
            "text" => "has no text string",
            "image_url" => "has no image_url.url string",
            var other => $"is of type '{other}', which Devana does not take",
        };
    }

    private static CompletionImage? ImageOf(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object
            || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "image_url"
            || !part.TryGetProperty("image_url", out var image) || image.ValueKind != JsonValueKind.Object
            || !image.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var detail = image.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return new CompletionImage(url.GetString()!, detail);
    }
}

/// <summary><c>tool_choice</c>: <c>"none"</c>, <c>"auto"</c>, <c>"required"</c>, or <c>{"type": "function", "function": {"name": …}}</c>.</summary>
public sealed class ToolChoiceConverter : JsonConverter<CompletionToolChoice>
{
    public override CompletionToolChoice? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var mode = reader.GetString();
                return mode is CompletionToolChoice.None or CompletionToolChoice.Auto or CompletionToolChoice.Required
                    ? new CompletionToolChoice(mode)
                    : throw JsonShapeError.Of("must be none, auto, required or {\"type\": \"function\", \"function\": {\"name\": \"…\"}}.");
            case JsonTokenType.StartObject:
                using (var choice = JsonDocument.ParseValue(ref reader))
                {
                    var root = choice.RootElement;
                    if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "function"
                        && root.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                        && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Length > 0)
                    {
                        return new CompletionToolChoice(CompletionToolChoice.Function, name.GetString());
                    }
                }

                throw JsonShapeError.Of("must be {\"type\": \"function\", \"function\": {\"name\": \"…\"}} (with a name) when it is an object.");
            default:
                throw JsonShapeError.Of("must be none, auto, required or {\"type\": \"function\", \"function\": {\"name\": \"…\"}}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, CompletionToolChoice value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Mode != CompletionToolChoice.Function)
        {
            writer.WriteStringValue(value.Mode);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", value.FunctionName);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>
/// An OpenAI field that asks for what Devana cannot give (the deprecated <c>functions</c>, an audio answer): any
/// value but <c>null</c> is a 400 saying what to send instead, rather than an answer the caller did not ask for.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RefusedFieldAttribute(string requirement) : JsonConverterAttribute
{
    public string Requirement { get; } = requirement;

    public override JsonConverter CreateConverter(Type typeToConvert) => new RefusedFieldConverter(Requirement);

    private sealed class RefusedFieldConverter(string requirement) : JsonConverter<JsonElement?>
    {
        public override JsonElement? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw JsonShapeError.Of(requirement);

        public override void Write(Utf8JsonWriter writer, JsonElement? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("A refused field is only read.");
    }
}

/// <summary>OpenAI's <c>modalities</c>: Devana answers in text, so only <c>["text"]</c> is taken.</summary>
public sealed class TextModalityConverter : JsonConverter<List<string>>
{
    private const string TextOnly = "must be [\"text\"]: Devana answers in text only.";

    public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonShapeError.Of(TextOnly);
        }

        var modalities = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || reader.GetString() is not "text")
            {
                throw JsonShapeError.Of(TextOnly);
            }

            modalities.Add("text");
        }

        return modalities;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Devana.Application.Common.Models;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Reads <see cref="Optional{T}"/> fields of PATCH bodies: the serializer calls a converter only for
/// properties the JSON holds, so an absent field stays unset and a present one (null included) is set.
/// </summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);
    }

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var converter = typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]);
        return (JsonConverter)Activator.CreateInstance(converter)!;
    }

    private sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
    {
        // Optional<T> is a struct: the serializer would pass a JSON null to this converter anyway; say so.
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new(JsonSerializer.Deserialize<T>(ref reader, options)!);
            }
            catch (JsonException exception) when (exception.Path is not null)
            {
                // The nested call reports paths from its own root ("$"); an exception without a path gets
                // the enclosing property's ("$.temperature"), which is what names the error's param.
                var message = exception.Message;
                var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
                throw new JsonException(cut > 0 ? message[..cut] : message, exception);
            }
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
        {
            if (value.IsSet)
            {
                JsonSerializer.Serialize(writer, value.Value, options);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}

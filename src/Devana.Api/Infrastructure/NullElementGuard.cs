using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Devana.Api.Infrastructure;

/// <summary>
/// A JSON <c>null</c> inside a list or a dictionary whose elements the request type declares non-nullable
/// (<c>"messages": [null]</c>, <c>"file_ids": [null]</c>, <c>"metadata": {"k": null}</c>) is a 400 naming
/// the field, as a wrong type is. System.Text.Json enforces nullable annotations on properties at most,
/// never on collection elements, so without this a null would reach the handlers as a valid element.
/// Applied to the request bodies MVC reads (not to the OpenAPI schema export, which would lose the
/// property's schema behind a custom converter).
/// </summary>
public static class NullElementGuard
{
    public static void Modify(JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.CustomConverter is not null || property.AttributeProvider is not PropertyInfo info
                || !HasNonNullableReferenceElements(info))
            {
                continue;
            }

            property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(NoNullElementsConverter<>).MakeGenericType(property.PropertyType))!;
        }
    }

    private static bool HasNonNullableReferenceElements(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (!type.IsGenericType || type == typeof(string))
        {
            return false;
        }

        var arguments = type.GetGenericArguments();
        var definition = type.GetGenericTypeDefinition();
        int elementIndex;
        if (arguments.Length == 1 && typeof(IEnumerable).IsAssignableFrom(type))
        {
            elementIndex = 0;
        }
        else if (arguments.Length == 2 && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            elementIndex = 1;
        }
        else
        {
            return false;
        }

        if (arguments[elementIndex].IsValueType)
        {
            return false;
        }

        // NullabilityInfoContext is not thread-safe; the modifier runs once per type, so a new one is cheap.
        var nullability = new NullabilityInfoContext().Create(property);
        return nullability.GenericTypeArguments.Length == arguments.Length
            && nullability.GenericTypeArguments[elementIndex].ReadState == NullabilityState.NotNull;
    }

    // MVC keeps only the message of a JSON error (not the exception), so the part of the path below the
    // property the serializer names travels at the head of the message: "[below: [0].role] …".
    private const string BelowStart = "[below: ";
    private const string BelowEnd = "] ";

    /// <summary>The part of the path below the serializer's that <paramref name="message"/> carries, and the message without it.</summary>
    public static (string Below, string Message) SplitBelow(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.StartsWith(BelowStart, StringComparison.Ordinal))
        {
            return (string.Empty, message);
        }

        var end = message.IndexOf(BelowEnd, BelowStart.Length, StringComparison.Ordinal);
        return end < 0 ? (string.Empty, message) : (message[BelowStart.Length..end], message[(end + BelowEnd.Length)..]);
    }

    /// <summary>A path-less copy, so that the serializer sets its own path, carrying <paramref name="below"/> in its message.</summary>
    private static JsonException WithPathBelow(JsonException exception, string below)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var (further, text) = SplitBelow(cut > 0 ? message[..cut] : message);
        return new JsonException(BelowStart + below + further + BelowEnd + text, exception.InnerException);
    }

    private sealed class NoNullElementsConverter<TCollection> : JsonConverter<TCollection>
        where TCollection : class, IEnumerable
    {
        public override TCollection? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The collection type's own converter (this one is set on properties, not on the type). Its errors
            // carry paths from its own root ("$[0].role"): kept as the rest of the path the serializer gives
            // the property, so that param still names the field ("messages[0].role").
            TCollection? value;
            try
            {
                value = JsonSerializer.Deserialize<TCollection>(ref reader, options);
            }
            catch (JsonException nested) when (nested.Path is { } path && path.StartsWith('$'))
            {
                throw WithPathBelow(nested, path[1..]);
            }

            if (value is null)
            {
                return null;
            }

            var index = 0;
            foreach (var element in value)
            {
                // A dictionary's entries are boxed KeyValuePair<string, TValue>s: a null value is named by its key.
                if (element is not null && element.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
                {
                    if (type.GetProperty("Value")!.GetValue(element) is null)
                    {
                        var key = type.GetProperty("Key")!.GetValue(element);
                        throw WithPathBelow(JsonShapeError.Of("must not be null."), $".{key}");
                    }
                }
                else if (element is null)
                {
                    throw WithPathBelow(JsonShapeError.Of("must not be null."), $"[{index.ToString(CultureInfo.InvariantCulture)}]");
                }

                index++;
            }

            return value;
        }

        public override void Write(Utf8JsonWriter writer, TCollection value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, options);
    }
}

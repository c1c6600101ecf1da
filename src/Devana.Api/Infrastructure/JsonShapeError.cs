using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Devana.Api.Infrastructure;

/// <summary>
/// A value the JSON reader took apart but whose shape Devana refuses (a null list item, an unknown content part):
/// the converter says what the field must be, and <see cref="ModelStateErrors"/> shows it after the field's name
/// (<c>messages[0].content must hold only text and image_url parts; …</c>). The message starts as the serializer's
/// own conversion errors do, so that it is read as a wrong value, not as malformed JSON.
/// </summary>
public static class JsonShapeError
{
    private const string Prefix = "The JSON value could not be converted: ";

    /// <summary>An error whose <paramref name="requirement"/> completes "the field …", e.g. "must not be null.".</summary>
    public static JsonException Of(string requirement) => new(Prefix + requirement);

    /// <summary>The requirement of an error made by <see cref="Of"/>; false for the serializer's own messages.</summary>
    public static bool TryGetRequirement(string message, [NotNullWhen(true)] out string? requirement)
    {
        ArgumentNullException.ThrowIfNull(message);
        requirement = message.StartsWith(Prefix, StringComparison.Ordinal) && message.Length > Prefix.Length ? message[Prefix.Length..] : null;
        return requirement is not null;
    }
}

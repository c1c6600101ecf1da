using System.Text;
using System.Text.Json;

namespace Devana.Application.Common.Exceptions;

/// <summary>Turns a .NET member path (<c>Messages[0].Role</c>) into the wire's (<c>messages[0].role</c>).</summary>
public static class FieldPath
{
    public static string ToSnakeCase(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(path.Length + 8);
        foreach (var segment in path.Split('.'))
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            builder.Append(JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
            if (bracket >= 0)
            {
                builder.Append(segment.AsSpan(bracket));
            }
        }

        return builder.ToString();
    }
}

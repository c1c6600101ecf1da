using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Devana.Application.Common.Models;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Tells a PATCH body (<see cref="IPatch"/>) which of its properties the JSON held: System.Text.Json sets
/// only those, so each property's setter also marks it present. Absent fields are then left as they are,
/// and a field sent as null is cleared. Applied to the request bodies MVC reads.
/// </summary>
public static class PatchPresence
{
    public static void Modify(JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(IPatch).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.Set is not { } set || property.AttributeProvider is not PropertyInfo info)
            {
                continue;
            }

            var name = info.Name;
            property.Set = (target, value) =>
            {
                set(target, value);
                ((IPatch)target).MarkPresent(name);
            };
        }
    }
}

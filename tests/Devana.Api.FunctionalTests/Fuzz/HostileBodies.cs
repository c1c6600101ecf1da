using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Devana.Api.FunctionalTests.Fuzz;

/// <summary>One generated request body: its bytes, what was done to the valid example, and the wire paths it hit.</summary>
/// <param name="Description">The mutations, readable (what a failure report prints).</param>
/// <param name="Body">The bytes sent, which need not be valid JSON nor valid UTF-8.</param>
/// <param name="FaultPaths">The JSON paths (<c>messages[0].content</c>) of the mutated fields; empty when the fault is the document's own (truncated, root replaced).</param>
public sealed record HostileBody(string Description, byte[] Body, IReadOnlyList<string> FaultPaths)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        return $"{Description} :: {(text.Length > 600 ? text[..600] + $"… ({Body.Length} bytes)" : text)}";
    }
}

/// <summary>
/// CsCheck generators of hostile JSON bodies derived from a valid example: each body is the example with one
/// to three mutations at a path of it (every object property, array element and the root are candidates):
/// a value of another JSON type, <c>null</c>, a huge, negative, fractional or overflowing number, deep nesting,
/// a string with NUL, a lone UTF-16 surrogate (as a <c>\ud800</c> escape) or invalid UTF-8 bytes, an unknown
/// enum-like string, an oversize array, a removed property, an extra or duplicated property; or the whole
/// document truncated.
/// </summary>
public static class HostileBodies
{
    private const string RawMarker = "\u0001raw:";

    /// <summary>Declared first: the generators below register raw values while the type initializes.</summary>
    private static readonly Dictionary<string, Raw> s_raws = new(StringComparer.Ordinal);

    /// <summary>A value that is spliced into the serialized text as is (what a <see cref="JsonNode"/> cannot hold).</summary>
    private sealed record Raw(byte[] Bytes);

    private sealed record Mutation(string Kind, string Path, Func<JsonNode?, JsonNode?>? Replace, bool Remove = false, (string Name, JsonNode? Value)? Add = null)
    {
        public override string ToString() => $"{Kind} at '{Path}'";
    }

    /// <summary>The paths of <paramref name="example"/>: the root (""), every property and every element, in the wire's notation.</summary>
    public static List<string> PathsOf(JsonNode example)
    {
        var paths = new List<string> { string.Empty };
        Walk(example, string.Empty, paths);
        return paths;

        static void Walk(JsonNode? node, string path, List<string> paths)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        var child = path.Length == 0 ? key : $"{path}.{key}";
                        paths.Add(child);
                        Walk(value, child, paths);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var child = $"{path}[{i}]";
                        paths.Add(child);
                        Walk(array[i], child, paths);
                    }

                    break;
            }
        }
    }

    /// <summary>Hostile bodies from <paramref name="example"/> (valid JSON of the endpoint).</summary>
    public static Gen<HostileBody> From(string example)
    {
        var paths = PathsOf(JsonNode.Parse(example)!);
        var mutation = Gen.Int[0, paths.Count - 1].SelectMany(i => MutationAt(paths[i]));
        var mutated = mutation.Array[1, 3].Select(mutations => Apply(example, mutations));
        var truncated = Gen.Int[0, Encoding.UTF8.GetByteCount(example) - 1].Select(cut =>
            new HostileBody($"truncated at byte {cut}", Encoding.UTF8.GetBytes(example)[..cut], []));
        var duplicated = Gen.Select(Gen.OneOf(TopLevelKeys(example)), WrongType, (key, value) =>
        {
            // The duplicate comes first, so a reader that keeps the last one sees the example's value.
            var text = example.TrimStart();
            var body = "{" + $"\"{key}\":{value?.ToJsonString() ?? "null"}," + text[1..];
            return new HostileBody($"duplicate '{key}' = {value?.ToJsonString() ?? "null"}", Encoding.UTF8.GetBytes(body), [key]);
        });
        return Gen.Frequency<HostileBody>((12, mutated), (1, truncated), (1, duplicated));
    }

    private static string[] TopLevelKeys(string example) => [.. JsonNode.Parse(example)!.AsObject().Select(p => p.Key)];

    private static Gen<Mutation> MutationAt(string path) => Gen.Frequency<Mutation>(
        (4, WrongType.Select(v => new Mutation($"wrong type {Describe(v)}", path, _ => v))),
        (2, Gen.Const(new Mutation("null", path, _ => null))),
        (3, Numbers.Select(v => new Mutation($"number {v}", path, _ => JsonNode.Parse(v)))),
        (3, HostileStrings.Select(v => new Mutation($"string {v.Description}", path, _ => v.Node))),
        (2, Gen.Select(Gen.Int[60, 3000], Gen.Bool).Select((depth, arrays) => new Mutation($"nested {depth} deep ({(arrays ? "arrays" : "objects")})", path, _ => RawNode(Nested(depth, arrays))))),
        (2, Gen.Select(Gen.Int[101, 5000], Gen.Bool).Select((count, copies) => new Mutation($"array of {count} {(copies ? "copies" : "numbers")}", path, current => OversizeArray(current, count, copies)))),
        (2, Gen.Const(new Mutation("removed", path, null, Remove: true))),
        (2, Gen.Select(ExtraNames, WrongType).Select((name, value) => new Mutation($"extra field '{name}'", path, null, Add: (name, value)))));

    /// <summary>A value of some JSON type (the caller's field is of another one, mostly).</summary>
    private static readonly Gen<JsonNode?> WrongType = Gen.OneOf(
        "0", "-1", "1", "true", "false", "\"text\"", "\"\"", "[]", "{}", "[1,2]", "[\"a\"]", "[[]]", "{\"a\":1}", "{\"type\":null}", "[null]", "[{}]", "\"[object Object]\"")
        .Select(json => JsonNode.Parse(json));

    private static readonly Gen<string> Numbers = Gen.OneOf<string>(
        Gen.OneOf("1e308", "-1e308", "1e400", "-1e400", "1E-400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "2147483647", "2147483648", "-2147483649", "18446744073709551616", "123456789012345678901234567890", "-0.0", "0.5", "-0.5", "0", "-1", "3.4e38", "1.7976931348623157e309"),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"));

    private static readonly Gen<string> ExtraNames = Gen.OneOf<string>(
        Gen.OneOf("__proto__", "constructor", "$type", "$ref", "id", "object", "created_at", "owner_id", "workspace_id", "deleted", "\u0000", "", "Model", "MESSAGES"),
        Gen.String[Gen.Char.AlphaNumeric, 1, 12]);

    private static readonly Gen<(string Description, JsonNode? Node)> HostileStrings = Gen.OneOf<(string Description, JsonNode? Node)>(
        Gen.OneOf<(string Description, JsonNode? Node)>(
            ("empty", JsonValue.Create(string.Empty)),
            ("blank", JsonValue.Create("   \t\n")),
            ("NUL", JsonValue.Create("\0")),
            ("with NUL", JsonValue.Create("a\0b")),
            ("control characters", JsonValue.Create("\u0001\u001f\u007f")),
            ("right-to-left override", JsonValue.Create("\u202Egnp.exe")),
            ("noncharacter", JsonValue.Create("\uFFFF\uFFFE")),
            ("emoji", JsonValue.Create("\U0001F600")),
            ("lone high surrogate", RawNode("\"\\ud800\"")),
            ("lone low surrogate", RawNode("\"x\\udc00y\"")),
            ("reversed surrogates", RawNode("\"\\udc00\\ud800\"")),
            ("escaped NUL", RawNode("\"\\u0000\"")),
            ("invalid UTF-8", RawBytesNode([(byte)'"', (byte)'a', 0xFF, 0xC3, 0x28, (byte)'"'])),
            ("overlong UTF-8", RawBytesNode([(byte)'"', 0xC0, 0xAF, (byte)'"'])),
            ("path traversal", JsonValue.Create("../../etc/passwd")),
            ("SQL", JsonValue.Create("'; DROP TABLE agents; --")),
            ("unknown enum value", JsonValue.Create("definitely_not_a_value"))),
        Gen.String[Gen.Char.AlphaNumeric, 1, 24].Select(s => ("unknown value " + s, (JsonNode?)JsonValue.Create(s))),
        Gen.Int[1_000, 300_000].Select(n => ($"{n} characters", (JsonNode?)JsonValue.Create(new string('x', n)))));

    private static string Describe(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Nested(int depth, bool arrays) =>
        arrays ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static JsonNode OversizeArray(JsonNode? current, int count, bool copies)
    {
        var element = current is JsonArray { Count: > 0 } array ? array[0] : current;
        var result = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            result.Add(copies ? element?.DeepClone() : JsonValue.Create(i));
        }

        return result;
    }

    private static JsonNode RawNode(string json) => RawBytesNode(Encoding.UTF8.GetBytes(json));

    private static JsonNode RawBytesNode(byte[] bytes)
    {
        lock (s_raws)
        {
            var key = RawMarker + s_raws.Count.ToString(CultureInfo.InvariantCulture);
            s_raws[key] = new Raw(bytes);
            return JsonValue.Create(key);
        }
    }

    private static HostileBody Apply(string example, Mutation[] mutations)
    {
        var root = JsonNode.Parse(example);
        var applied = new List<Mutation>();
        var faultPaths = new List<string>();
        foreach (var mutation in mutations)
        {
            if (TryApply(ref root, mutation))
            {
                applied.Add(mutation);
                if (mutation.Path.Length > 0)
                {
                    faultPaths.Add(mutation.Path);
                }
                else if (mutation.Add is null)
                {
                    // The whole document was replaced: the fields mutated before are gone, the document is at fault.
                    faultPaths.Clear();
                }
            }
        }

        return new HostileBody(string.Join("; ", applied), Serialize(root), faultPaths);
    }

    private static bool TryApply(ref JsonNode? root, Mutation mutation)
    {
        if (mutation.Path.Length == 0)
        {
            if (mutation.Remove)
            {
                return false;
            }

            if (mutation.Add is { } extra)
            {
                if (root is not JsonObject rootObject)
                {
                    return false;
                }

                rootObject[extra.Name] = extra.Value?.DeepClone();
                return true;
            }

            root = mutation.Replace!(root)?.DeepClone();
            return true;
        }

        var (parent, name, index) = Locate(root, mutation.Path);
        if (parent is null)
        {
            return false;
        }

        var current = name is not null ? parent.AsObject()[name] : parent.AsArray()[index];
        if (mutation.Add is { } added)
        {
            if (current is not JsonObject target)
            {
                return false;
            }

            target[added.Name] = added.Value?.DeepClone();
            return true;
        }

        if (mutation.Remove)
        {
            if (name is not null)
            {
                parent.AsObject().Remove(name);
            }
            else
            {
                parent.AsArray().RemoveAt(index);
            }

            return true;
        }

        var replacement = mutation.Replace!(current?.DeepClone())?.DeepClone();
        if (name is not null)
        {
            parent.AsObject()[name] = replacement;
        }
        else
        {
            parent.AsArray()[index] = replacement;
        }

        return true;
    }

    /// <summary>The container of the node at <paramref name="path"/> and its key or index; null when the path no longer exists.</summary>
    private static (JsonNode? Parent, string? Name, int Index) Locate(JsonNode? root, string path)
    {
        var segments = new List<(string? Name, int Index)>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            segments.Add((bracket < 0 ? part : part[..bracket], -1));
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                segments.Add((null, int.Parse(part[(bracket + 1)..close], CultureInfo.InvariantCulture)));
                bracket = part.IndexOf('[', close);
            }
        }

        var node = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var (name, index) = segments[i];
            var last = i == segments.Count - 1;
            if (name is not null)
            {
                if (node is not JsonObject obj || !obj.ContainsKey(name))
                {
                    return (null, null, 0);
                }

                if (last)
                {
                    return (obj, name, -1);
                }

                node = obj[name];
            }
            else
            {
                if (node is not JsonArray array || index >= array.Count)
                {
                    return (null, null, 0);
                }

                if (last)
                {
                    return (array, null, index);
                }

                node = array[index];
            }
        }

        return (null, null, 0);
    }

    private static byte[] Serialize(JsonNode? root)
    {
        var text = root?.ToJsonString() ?? "null";
        var output = new List<byte>(text.Length);
        var position = 0;
        const string quotedMarker = "\"\\u0001raw:";
        while (true)
        {
            var start = text.IndexOf(quotedMarker, position, StringComparison.Ordinal);
            if (start < 0)
            {
                output.AddRange(Encoding.UTF8.GetBytes(text[position..]));
                return [.. output];
            }

            output.AddRange(Encoding.UTF8.GetBytes(text[position..start]));
            var end = text.IndexOf('"', start + 1);
            var key = RawMarker + text[(start + quotedMarker.Length)..end];
            Raw raw;
            lock (s_raws)
            {
                raw = s_raws[key];
            }

            output.AddRange(raw.Bytes);
            position = end + 1;
        }
    }
}

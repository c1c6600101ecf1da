using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Devana.Api.Infrastructure;

/// <summary>
/// The last step before any sink, at every level: OAuth secrets never reach a log. OpenIddict logs whole
/// protocol messages (at Information and below), and its redaction misses <c>code_verifier</c>; ASP.NET
/// Core logs query strings (the console's <c>/app/callback?code=…</c>) at Information and below. So every
/// property value is scrubbed: a property named like a secret is replaced whole, and in text the values of
/// <see cref="s_names"/> — as JSON members (<c>"code": "…"</c>) or query/form pairs (<c>code=…</c>) —,
/// bearer/basic credentials and anything shaped like a JWT become <c>[redacted]</c>. Messages render from their (constant) templates
/// and these properties, so the rendered line is clean too.
/// </summary>
public sealed class SecretScrubbingEnricher : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    private static readonly string[] s_names =
    [
        "access_token", "refresh_token", "id_token", "id_token_hint", "token", "code", "code_verifier", "device_code", "user_code",
        "client_secret", "client_assertion", "assertion", "password", "new_password", "api_key", "apikey", "authorization",
    ];

    private static readonly HashSet<string> s_propertyNames = new(s_names.Select(Normalize).Concat(["secret", "clientsecret", "accesstoken", "refreshtoken", "referenceid", "payload"]), StringComparer.Ordinal);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            var scrubbed = s_propertyNames.Contains(Normalize(name)) ? new ScalarValue(Redacted) : Scrub(value);
            if (!ReferenceEquals(scrubbed, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, scrubbed));
            }
        }
    }

    /// <summary>The text with every secret value replaced; the same instance when there was none.</summary>
    public static string ScrubText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrubbed = s_jsonMember.Replace(text, $"\"$1\"$2\"{Redacted}\"");
        scrubbed = s_queryPair.Replace(scrubbed, $"$1$2={Redacted}");
        scrubbed = s_credential.Replace(scrubbed, $"$1 {Redacted}");
        scrubbed = s_jwt.Replace(scrubbed, Redacted);
        return string.Equals(scrubbed, text, StringComparison.Ordinal) ? text : scrubbed;
    }

    private static LogEventPropertyValue Scrub(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var scrubbed = ScrubText(text);
                return ReferenceEquals(scrubbed, text) ? value : new ScalarValue(scrubbed);
            case ScalarValue { Value: Uri uri }:
                var uriText = ScrubText(uri.ToString());
                return string.Equals(uriText, uri.ToString(), StringComparison.Ordinal) ? value : new ScalarValue(uriText);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Scrub).ToList();
                return elements.SequenceEqual(sequence.Elements) ? value : new SequenceValue(elements);
            case StructureValue structure:
                var properties = structure.Properties
                    .Select(p => s_propertyNames.Contains(Normalize(p.Name)) ? new LogEventProperty(p.Name, new ScalarValue(Redacted)) : new LogEventProperty(p.Name, Scrub(p.Value)))
                    .ToList();
                return properties.Select(p => p.Value).SequenceEqual(structure.Properties.Select(p => p.Value)) ? value : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements
                    .Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, e.Key.Value is string key && s_propertyNames.Contains(Normalize(key)) ? new ScalarValue(Redacted) : Scrub(e.Value)))
                    .ToList();
                return entries.Select(e => e.Value).SequenceEqual(dictionary.Elements.Select(e => e.Value)) ? value : new DictionaryValue(entries);
            default:
                return value;
        }
    }

    private static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string Alternatives => string.Join('|', s_names.Select(Regex.Escape));

    // "code_verifier": "…" (JSON, as OpenIddict prints its messages); ?code=… or &client_secret=… (a query
    // string or a form body); Bearer eyJ…, Basic ZGV2… (credentials).
    private static readonly Regex s_jsonMember = new($"\"({Alternatives})\"(\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Options);
    private static readonly Regex s_queryPair = new($"(^|[?&\\s;,])({Alternatives})=[^&\\s\"',;]*", Options);
    // A JWT (JWS or JWE: base64url parts, the first a JSON header starting "{"), wherever it appears.
    private static readonly Regex s_jwt = new(@"\beyJ[A-Za-z0-9_\-]{8,}(?:\.[A-Za-z0-9_\-]*){1,4}", Options);
    private static readonly Regex s_credential = new(@"\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*", Options);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;
}

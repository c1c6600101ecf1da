using System.Collections.Frozen;
using Devana.Domain.Agents.Rules;
using Devana.Domain.Common;

namespace Devana.Domain.Agents;

/// <summary>
/// An ISO 639-1 language code (<c>en</c>, <c>fr</c>, <c>zh</c>, …): the language an agent answers in.
/// Codes are compared and stored in lower case; <c>EN</c> is accepted as <c>en</c>.
/// </summary>
public sealed record LanguageCode
{
    /// <summary>
    /// The 183 codes of ISO 639-1 as maintained by the Library of Congress (the registration
    /// authority), without the withdrawn ones (<c>bh</c>, <c>in</c>, <c>iw</c>, <c>ji</c>, <c>jw</c>,
    /// <c>mo</c>, <c>sh</c>).
    /// </summary>
    public static readonly FrozenSet<string> All = new[]
    {
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az",
        "ba", "be", "bg", "bi", "bm", "bn", "bo", "br", "bs",
        "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy",
        "da", "de", "dv", "dz",
        "ee", "el", "en", "eo", "es", "et", "eu",
        "fa", "ff", "fi", "fj", "fo", "fr", "fy",
        "ga", "gd", "gl", "gn", "gu", "gv",
        "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
        "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu",
        "ja", "jv",
        "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky",
        "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv",
        "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my",
        "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny",
        "oc", "oj", "om", "or", "os",
        "pa", "pi", "pl", "ps", "pt",
        "qu",
        "rm", "rn", "ro", "ru", "rw",
        "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw",
        "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty",
        "ug", "uk", "ur", "uz",
        "ve", "vi", "vo",
        "wa", "wo",
        "xh",
        "yi", "yo",
        "za", "zh", "zu",
    }.ToFrozenSet(StringComparer.Ordinal);

    private LanguageCode(string value) => Value = value;

    /// <summary>The lower-case two-letter code.</summary>
    public string Value { get; }

    /// <exception cref="BusinessRuleValidationException">The value is not an ISO 639-1 code (<see cref="LanguageMustBeAnIso6391CodeRule"/>).</exception>
    public static LanguageCode Create(string value)
    {
        var rule = new LanguageMustBeAnIso6391CodeRule(value);
        if (rule.IsBroken())
        {
            throw new BusinessRuleValidationException(rule);
        }

        return new LanguageCode(Normalize(value));
    }

    public static bool IsValid(string? value) => value is { Length: 2 } && All.Contains(Normalize(value));

    public override string ToString() => Value;

    private static string Normalize(string value) => value.ToLowerInvariant();
}

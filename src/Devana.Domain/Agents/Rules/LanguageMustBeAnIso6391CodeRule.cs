using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

public sealed class LanguageMustBeAnIso6391CodeRule(string? value) : IBusinessRule
{
    public bool IsBroken() => !LanguageCode.IsValid(value);

    public string Message => $"lang '{value}' is not an ISO 639-1 language code (such as en, fr, de, es, zh).";

    public string? Param => "lang";
}

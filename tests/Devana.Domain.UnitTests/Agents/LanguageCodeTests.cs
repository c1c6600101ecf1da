using Devana.Domain.Agents;
using Devana.Domain.Agents.Rules;
using Devana.Domain.UnitTests.Common;

namespace Devana.Domain.UnitTests.Agents;

public sealed class LanguageCodeTests
{
    [Fact]
    public void All_HoldsTheWhole183CodesOfIso6391()
    {
        LanguageCode.All.Should().HaveCount(183);
        LanguageCode.All.Should().OnlyContain(code => code.Length == 2 && code.All(char.IsAsciiLetterLower));
        LanguageCode.All.Should().Contain(["en", "fr", "de", "es", "it", "nl", "pl", "pt", "ru", "zh", "ja", "ko", "ar", "he", "yo", "zu"]);
    }

    [Fact]
    public void Create_WhenUpperCase_StoresLowerCase() =>
        LanguageCode.Create("FR").Value.Should().Be("fr");

    [Fact]
    public void Create_WhenUnknown_BreaksTheIsoRule()
    {
        var rule = RuleAssertions.AssertBrokenRule<LanguageMustBeAnIso6391CodeRule>(() => LanguageCode.Create("klingon"));

        rule.Param.Should().Be("lang");
    }

    [Fact]
    public void Codes_AreEqualByValue() =>
        LanguageCode.Create("de").Should().Be(LanguageCode.Create("DE"));
}

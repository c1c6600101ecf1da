using Devana.Application.Agents.UpdateAgent;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Models;
using Devana.Domain.Agents;
using Devana.Domain.Common;

namespace Devana.Application.UnitTests.Agents;

public sealed class UpdateAgentCommandTests
{
    private static readonly AgentDefinition s_current = new("Support")
    {
        Description = "Answers customers",
        Instructions = "Be brief.",
        Model = "echo",
        AllowedModels = ["echo"],
        Temperature = 0.3,
        TopP = 0.9,
        MaxTokens = 100,
        Lang = LanguageCode.Create("fr"),
        WelcomeMessage = "Bonjour",
        Visibility = AgentVisibility.Workspace,
        Metadata = new Dictionary<string, string> { ["team"] = "care" },
    };

    [Fact]
    public void ApplyTo_WhenNothingIsSet_ChangesNothing() =>
        new UpdateAgentCommand("a").ApplyTo(s_current).Should().BeEquivalentTo(s_current);

    [Fact]
    public void ApplyTo_WhenSomeFieldsAreSet_ChangesOnlyThem()
    {
        var patched = new UpdateAgentCommand("a", Name: "Renamed", Temperature: 0.7).ApplyTo(s_current);

        patched.Should().BeEquivalentTo(s_current with { Name = "Renamed", Temperature = 0.7 });
    }

    [Fact]
    public void ApplyTo_WhenNullableFieldsAreSetToNull_ClearsThem()
    {
        var command = new UpdateAgentCommand(
            "a",
            Description: new Optional<string?>(null),
            Instructions: new Optional<string?>(null),
            Model: new Optional<string?>(null),
            AllowedModels: new Optional<IReadOnlyList<string>?>(null),
            Temperature: new Optional<double?>(null),
            TopP: new Optional<double?>(null),
            MaxTokens: new Optional<int?>(null),
            Lang: new Optional<string?>(null),
            WelcomeMessage: new Optional<string?>(null),
            Metadata: new Optional<IReadOnlyDictionary<string, string>?>(null));

        var patched = command.ApplyTo(s_current);

        patched.Should().BeEquivalentTo(new AgentDefinition("Support") { Visibility = AgentVisibility.Workspace });
    }

    [Fact]
    public void ApplyTo_WhenLangAndVisibilityAreSet_ParsesThem()
    {
        var patched = new UpdateAgentCommand("a", Lang: "DE", Visibility: "private").ApplyTo(s_current);

        patched.Lang.Should().Be(LanguageCode.Create("de"));
        patched.Visibility.Should().Be(AgentVisibility.Private);
    }

    [Fact]
    public void ApplyTo_WhenLangIsNotIso6391_ThrowsTheDomainRule()
    {
        var act = () => new UpdateAgentCommand("a", Lang: "xx").ApplyTo(s_current);

        act.Should().Throw<BusinessRuleValidationException>().Which.BrokenRule.Param.Should().Be("lang");
    }

    [Fact]
    public void Validator_ChecksOnlyTheFieldsPresent()
    {
        var validator = new UpdateAgentCommandValidator(TestCatalog.Create(), TestToolHosts.Default);

        validator.Validate(new UpdateAgentCommand("a")).IsValid.Should().BeTrue();
        validator.Validate(new UpdateAgentCommand("a", Model: "fake-large", AllowedModels: new Optional<IReadOnlyList<string>?>(["fake-large"]))).IsValid.Should().BeTrue();
        validator.Validate(new UpdateAgentCommand("a", Model: new Optional<string?>(null))).IsValid.Should().BeTrue("null model follows the catalog default");
    }

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public void Validator_WhenAFieldIsInvalid_FailsNamingIt(UpdateAgentCommand command, string param, string code)
    {
        var result = new UpdateAgentCommandValidator(TestCatalog.Create(), TestToolHosts.Default).Validate(command);

        result.IsValid.Should().BeFalse();
        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be(param);
        exception.Code.Should().Be(code);
    }

    public static TheoryData<UpdateAgentCommand, string, string> InvalidPatches => new()
    {
        { new UpdateAgentCommand("a", Name: new Optional<string?>(null)), "name", ErrorCodes.InvalidValue },
        { new UpdateAgentCommand("a", Visibility: new Optional<string?>(null)), "visibility", ErrorCodes.InvalidValue },
        { new UpdateAgentCommand("a", Visibility: "everyone"), "visibility", ErrorCodes.UnknownParameterValue },
        { new UpdateAgentCommand("a", Model: "gpt-9"), "model", ErrorCodes.InvalidValue },
        { new UpdateAgentCommand("a", AllowedModels: new Optional<IReadOnlyList<string>?>(["gpt-9"])), "allowed_models", ErrorCodes.InvalidValue },
    };
}

using Devana.Application.Agents.Common;
using Devana.Application.Agents.UpdateAgent;
using Devana.Application.Common.Exceptions;

namespace Devana.Application.UnitTests.Agents;

public sealed class UpdateAgentCommandTests
{
    private static readonly AgentSettings s_current = new("Support")
    {
        Description = "Answers customers",
        Instructions = "Be brief.",
        Model = "echo",
        AllowedModels = ["echo"],
        Temperature = 0.3,
        TopP = 0.9,
        MaxTokens = 100,
        Lang = "fr",
        WelcomeMessage = "Bonjour",
        Visibility = "workspace",
        Metadata = new Dictionary<string, string> { ["team"] = "care" },
    };

    /// <summary>A PATCH body that held <paramref name="present"/> (as the API's JSON reader marks them).</summary>
    private static UpdateAgentCommand Patch(UpdateAgentCommand values, params string[] present)
    {
        foreach (var name in present)
        {
            values.MarkPresent(name);
        }

        return values;
    }

    [Fact]
    public void ApplyTo_WhenNothingIsPresent_ChangesNothing() =>
        new UpdateAgentCommand().ApplyTo(s_current).Should().BeEquivalentTo(s_current);

    [Fact]
    public void ApplyTo_WhenSomeFieldsArePresent_ChangesOnlyThem()
    {
        var patched = Patch(new UpdateAgentCommand { Name = "Renamed", Temperature = 0.7 }, nameof(AgentSettings.Name), nameof(AgentSettings.Temperature)).ApplyTo(s_current);

        patched.Should().BeEquivalentTo(s_current with { Name = "Renamed", Temperature = 0.7 });
    }

    [Fact]
    public void ApplyTo_WhenFieldsArePresentAsNull_ClearsThem()
    {
        var command = Patch(new UpdateAgentCommand(), "Description", "Instructions", "Model", "AllowedModels", "Temperature", "TopP", "MaxTokens", "Lang", "WelcomeMessage", "Metadata");

        var patched = command.ApplyTo(s_current);

        patched.Should().BeEquivalentTo(new AgentSettings("Support") { Visibility = "workspace" });
    }

    [Fact]
    public void ApplyTo_EveryFieldOfTheSettings_CanBePatched()
    {
        var every = typeof(AgentSettings).GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract").Select(p => p.Name).ToArray();

        var patched = Patch(new UpdateAgentCommand(), every).ApplyTo(s_current);

        patched.Should().BeEquivalentTo(new AgentSettings(null), "PATCH needs no list of fields: a new setting is patchable as it is added");
    }

    [Fact]
    public void Validator_ChecksOnlyTheFieldsPresent()
    {
        var validator = new UpdateAgentCommandValidator(TestCatalog.Create(), TestToolHosts.Default);

        validator.Validate(new UpdateAgentCommand()).IsValid.Should().BeTrue("an absent name is left as it is, not missing");
        validator.Validate(Patch(new UpdateAgentCommand { Model = "fake-large", AllowedModels = ["fake-large"] }, "Model", "AllowedModels")).IsValid.Should().BeTrue();
        validator.Validate(Patch(new UpdateAgentCommand(), "Model")).IsValid.Should().BeTrue("null model follows the catalog default");
        validator.Validate(new UpdateAgentCommand { Model = "gpt-9" }).IsValid.Should().BeTrue("a field the body did not hold is not checked");
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
        { Patch(new UpdateAgentCommand(), "Name"), "name", ErrorCodes.InvalidValue },
        { Patch(new UpdateAgentCommand(), "Visibility"), "visibility", ErrorCodes.InvalidValue },
        { Patch(new UpdateAgentCommand { Visibility = "everyone" }, "Visibility"), "visibility", ErrorCodes.UnknownParameterValue },
        { Patch(new UpdateAgentCommand { Model = "gpt-9" }, "Model"), "model", ErrorCodes.InvalidValue },
        { Patch(new UpdateAgentCommand { AllowedModels = ["gpt-9"] }, "AllowedModels"), "allowed_models", ErrorCodes.InvalidValue },
    };
}

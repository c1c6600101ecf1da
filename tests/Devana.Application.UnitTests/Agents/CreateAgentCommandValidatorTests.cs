using Devana.Application.Agents.CreateAgent;
using Devana.Application.Agents.ReplaceAgent;
using Devana.Application.Common.Exceptions;
using FluentValidation.Results;

namespace Devana.Application.UnitTests.Agents;

public sealed class CreateAgentCommandValidatorTests
{
    private readonly CreateAgentCommandValidator _validator = new(TestCatalog.Create(), TestToolHosts.Default);

    private static void ShouldFailOn(ValidationResult result, string param, string code)
    {
        result.IsValid.Should().BeFalse();
        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be(param);
        exception.Code.Should().Be(code);
    }

    [Fact]
    public void Validate_WhenCatalogModels_IsValid()
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Model = "echo", AllowedModels = ["echo", "fake-large"], Visibility = "workspace" });

        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_WhenNameIsMissing_FailsWithMissingRequiredParameter() =>
        ShouldFailOn(_validator.Validate(new CreateAgentCommand(null)), "name", ErrorCodes.MissingRequiredParameter);

    [Fact]
    public void Validate_WhenModelIsNotInCatalog_FailsNamingModel()
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Model = "gpt-9" });

        ShouldFailOn(result, "model", ErrorCodes.InvalidValue);
        result.Errors[0].ErrorMessage.Should().Contain("gpt-9");
    }

    [Fact]
    public void Validate_WhenAnAllowedModelIsNotInCatalog_FailsNamingAllowedModelsAndTheUnknownOnes()
    {
        var result = _validator.Validate(new CreateAgentCommand("a") { Model = "echo", AllowedModels = ["echo", "gpt-9", "claude-x"] });

        ShouldFailOn(result, "allowed_models", ErrorCodes.InvalidValue);
        result.Errors[0].ErrorMessage.Should().Contain("'gpt-9'").And.Contain("'claude-x'").And.NotContain("'echo'");
    }

    [Theory]
    [InlineData("public")]
    [InlineData("Private")]
    [InlineData("")]
    public void Validate_WhenVisibilityIsUnknown_FailsWithUnknownParameterValue(string visibility) =>
        ShouldFailOn(_validator.Validate(new CreateAgentCommand("a") { Visibility = visibility }), "visibility", ErrorCodes.UnknownParameterValue);

    [Fact]
    public void ReplaceValidator_AppliesTheSameRules()
    {
        var validator = new ReplaceAgentCommandValidator(TestCatalog.Create(), TestToolHosts.Default);

        ShouldFailOn(validator.Validate(new ReplaceAgentCommand((string?)null) { AgentId = "a" }), "name", ErrorCodes.MissingRequiredParameter);
        ShouldFailOn(validator.Validate(new ReplaceAgentCommand("n") { AgentId = "a", Model = "nope" }), "model", ErrorCodes.InvalidValue);
    }
}

using Devana.Application.Clients.CreateClient;
using Devana.Domain.Clients;

namespace Devana.Application.UnitTests.Clients;

public sealed class CreateClientCommandValidatorTests
{
    private readonly CreateClientCommandValidator _validator = new();

    [Fact]
    public void Validate_WhenComplete_Passes()
    {
        _validator.Validate(new CreateClientCommand("Batch", ClientType.Confidential, ["files", "admin"], null)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_WhenAScopeIsUnknown_FailsOnThatItemWithUnknownParameterValue()
    {
        var result = _validator.Validate(new CreateClientCommand("Batch", ClientType.Confidential, ["files", "openid"], null));

        result.Errors.Should().ContainSingle().Which.Should().Match<FluentValidation.Results.ValidationFailure>(
            failure => failure.PropertyName == "Scopes[1]" && failure.ErrorCode == "unknown_parameter_value");
    }

    [Fact]
    public void Validate_WhenEverythingIsMissing_NamesEachField()
    {
        var result = _validator.Validate(new CreateClientCommand(null, null, null, null));

        result.Errors.Select(failure => failure.PropertyName).Should().BeEquivalentTo("Name", "Type", "Scopes");
    }
}

using Devana.Application.Users.CreateUser;
using Devana.Domain.Users;

namespace Devana.Application.UnitTests.Users;

public sealed class CreateUserCommandValidatorTests
{
    private readonly CreateUserCommandValidator _validator = new();

    [Theory]
    [InlineData("short", false)]
    [InlineData("exactly-12ch", true)]
    [InlineData("A-long-enough-password", true)]
    public void Validate_PasswordLength(string password, bool valid)
    {
        _validator.Validate(new CreateUserCommand("a@example.com", password, UserRole.Member, null)).IsValid.Should().Be(valid);
    }

    [Fact]
    public void Validate_WhenEverythingIsMissing_NamesEachRequiredField()
    {
        var result = _validator.Validate(new CreateUserCommand(null, null, null, null));

        result.Errors.Select(failure => failure.PropertyName).Should().BeEquivalentTo("Email", "Password", "Role");
    }
}

using Devana.Application.Common.Behaviors;
using FluentValidation;
using MediatR;
using ValidationException = Devana.Application.Common.Exceptions.ValidationException;

namespace Devana.Application.UnitTests.Common;

public sealed class ValidationBehaviorTests
{
    public sealed record SampleCommand(double? Temperature, string? Name) : IRequest<string>;

    private sealed class SampleValidator : AbstractValidator<SampleCommand>
    {
        public SampleValidator()
        {
            RuleFor(c => c.Name).NotEmpty();
            RuleFor(c => c.Temperature).InclusiveBetween(0, 1).WithMessage("temperature must be between 0 and 1");
        }
    }

    private sealed class AsyncNameValidator : AbstractValidator<SampleCommand>
    {
        public AsyncNameValidator()
        {
            RuleFor(c => c.Temperature).NotNull().WithMessage("temperature is required");
            RuleFor(c => c.Name)
                .MustAsync(async (name, cancellationToken) =>
                {
                    await Task.Yield();
                    return name != "taken";
                })
                .WithMessage("name is taken");
        }
    }

    [Fact]
    public async Task Handle_AValidatorWithAsynchronousRules_StillRuns_AndReportsEachFailureOnce()
    {
        var behavior = new ValidationBehavior<SampleCommand, string>([new AsyncNameValidator()]);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var act = () => behavior.Handle(new SampleCommand(null, "taken"), CancellationToken.None, () => Task.FromResult("ok"));

            var exception = (await act.Should().ThrowAsync<ValidationException>()).Which;
            exception.Errors.SelectMany(e => e.Value).Should().BeEquivalentTo("temperature is required", "name is taken");
        }

        (await behavior.Handle(new SampleCommand(0.5, "free"), CancellationToken.None, () => Task.FromResult("ok"))).Should().Be("ok");
    }

    [Fact]
    public async Task Handle_SeveralValidators_ReportEveryFailureOnce()
    {
        var behavior = new ValidationBehavior<SampleCommand, string>([new SampleValidator(), new AsyncNameValidator()]);

        var act = () => behavior.Handle(new SampleCommand(1.5, "taken"), CancellationToken.None, () => Task.FromResult("ok"));

        var exception = (await act.Should().ThrowAsync<ValidationException>()).Which;
        exception.Errors.SelectMany(e => e.Value).Should().BeEquivalentTo("temperature must be between 0 and 1", "name is taken");
    }

    [Fact]
    public async Task Handle_WhenValid_CallsNext()
    {
        var behavior = new ValidationBehavior<SampleCommand, string>([new SampleValidator()]);

        var result = await behavior.Handle(new SampleCommand(0.5, "a"), CancellationToken.None, () => Task.FromResult("ok"));

        result.Should().Be("ok");
    }

    [Fact]
    public async Task Handle_WhenInvalid_ThrowsWithSnakeCaseParamAndAllErrors()
    {
        var behavior = new ValidationBehavior<SampleCommand, string>([new SampleValidator()]);
        var called = false;

        var act = () => behavior.Handle(new SampleCommand(1.5, "a"), CancellationToken.None, () =>
        {
            called = true;
            return Task.FromResult("ok");
        });

        var exception = (await act.Should().ThrowAsync<ValidationException>()).Which;
        exception.Param.Should().Be("temperature");
        exception.Code.Should().Be("invalid_value");
        exception.Message.Should().Be("temperature must be between 0 and 1");
        called.Should().BeFalse();
    }

    [Fact]
    public async Task Handle_WhenRequiredFieldMissing_UsesMissingRequiredParameterCode()
    {
        var behavior = new ValidationBehavior<SampleCommand, string>([new SampleValidator()]);

        var act = () => behavior.Handle(new SampleCommand(null, null), CancellationToken.None, () => Task.FromResult("ok"));

        (await act.Should().ThrowAsync<ValidationException>()).Which.Code.Should().Be("missing_required_parameter");
    }
}

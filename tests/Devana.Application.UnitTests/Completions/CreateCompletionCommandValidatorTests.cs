using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.CreateCompletion;

namespace Devana.Application.UnitTests.Completions;

/// <summary>
/// The completion request's rules run in groups, each behind one check that any of its fields is there
/// (docs/performance.md, eleventh session): each group must still open for the one field that breaks one of its
/// rules, and the failures must come in the rules' order, since the first names the error's code and param.
/// </summary>
public sealed class CreateCompletionCommandValidatorTests
{
    private readonly CreateCompletionCommandValidator _validator = new();

    private static CreateCompletionCommand Asking(params CompletionMessage[] before) => new()
    {
        Model = "support",
        Messages = [.. before, new CompletionMessage("user", "Hello")],
    };

    private List<string> FailedProperties(CreateCompletionCommand command) =>
        _validator.Validate(command).Errors.Select(failure => failure.PropertyName).ToList();

    [Fact]
    public void APlainRequest_IsValid()
    {
        _validator.Validate(Asking()).IsValid.Should().BeTrue();
    }

    [Fact]
    public void AToolMessage_WithoutToolCallId_IsRefused_ThoughItHasNoneOfTheGroupsFields()
    {
        var command = Asking(new CompletionMessage("assistant", "Checking."), new CompletionMessage("tool", "42"));

        FailedProperties(command).Should().Equal("Messages[1].ToolCallId");
        new ValidationException(_validator.Validate(command).Errors).Code.Should().Be(ErrorCodes.MissingRequiredParameter);
    }

    [Theory]
    [InlineData("parallel_tool_calls", "ParallelToolCalls")]
    [InlineData("top_logprobs", "TopLogprobs")]
    [InlineData("n", "N")]
    [InlineData("stop", "Stop[0]")]
    [InlineData("response_format", "ResponseFormat.Type")]
    [InlineData("tool_confirmations", "ToolConfirmations")]
    public void EachGroup_OpensForAnyOneOfItsFields(string field, string property)
    {
        var command = field switch
        {
            "parallel_tool_calls" => Asking() with { ParallelToolCalls = true },
            "top_logprobs" => Asking() with { TopLogprobs = 3 },
            "n" => Asking() with { N = 0 },
            "stop" => Asking() with { Stop = [string.Empty] },
            "response_format" => Asking() with { ResponseFormat = string.Empty },
            _ => Asking() with { ToolConfirmations = [], ConversationId = "conv_1", Messages = null },
        };

        FailedProperties(command).Should().Equal(property);
    }

    [Fact]
    public void FailuresInSeveralGroups_ComeInTheRulesOrder()
    {
        var command = Asking() with
        {
            ToolChoice = new CompletionToolChoice(CompletionToolChoice.Required),
            Temperature = 2,
            Lang = "xx",
            IncludeUsage = true,
        };

        FailedProperties(command).Should().Equal("ToolChoice", "Temperature", "Lang", "StreamOptions");
        new ValidationException(_validator.Validate(command).Errors).Param.Should().Be("tool_choice");
    }
}

using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.CreateCompletion;
using Devana.Domain.Agents;
using Devana.Domain.Common;
using Devana.Domain.Conversations;

namespace Devana.Application.UnitTests.AgentTools;

/// <summary>docs/tools.md#confirmation: the request's <c>tool_confirmations</c> and what a conversation waits for.</summary>
public sealed class ToolConfirmationsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly ToolCall s_confirmedCall = new("call_1", "cancel_order", """{"order_id":"A1"}""");
    private static readonly ToolCall s_plainCall = new("call_2", "order_status", """{"order_id":"A1"}""");

    private readonly CreateCompletionCommandValidator _validator = new();

    private static CreateCompletionCommand Confirming(params (string? CallId, bool? Approve)[] confirmations) => new()
    {
        Model = "orders",
        ConversationId = "conv_1",
        Messages = [],
        ToolConfirmations = confirmations.Select(c => new CompletionToolConfirmation(c.CallId, c.Approve)).ToList(),
    };

    private void ShouldFailOn(CreateCompletionCommand command, string param, string? code = null)
    {
        var result = _validator.Validate(command);
        result.IsValid.Should().BeFalse();
        var exception = new ValidationException(result.Errors);
        exception.Param.Should().Be(param);
        if (code is not null)
        {
            exception.Code.Should().Be(code);
        }
    }

    private static AgentTool Tool(string name, bool requiresConfirmation) =>
        new(name, string.Empty, """{"type":"object","properties":{}}""", "https://tools.example.com/" + name, AgentToolMethod.Post, new Dictionary<string, string>(), 10, requiresConfirmation);

    private static Agent Orders() => Agent.Create("orders", new Actor("ws_a", "usr_owner", false), new AgentDefinition("Orders")
    {
        Tools = [Tool("cancel_order", requiresConfirmation: true), Tool("order_status", requiresConfirmation: false)],
    }, s_now);

    /// <summary>A conversation whose answer stopped for a call of each tool.</summary>
    private static Conversation Stopped()
    {
        var conversation = Conversation.Start("ws_a", "usr_owner", "orders", null, s_now);
        var turn = conversation.AddTurns([new ConversationTurn(MessageRole.User, "cancel A1")], "echo", [], s_now);
        conversation.RecordAnswers(turn, [new AnswerChoice(0, string.Empty, ToolConfirmations.FinishReason, new TokenUsage(10, 5), ToolCalls: [s_confirmedCall, s_plainCall])], "echo", 1, s_now);
        return conversation;
    }

    [Fact]
    public void Validate_WithConfirmationsAndNoMessages_IsValid() =>
        _validator.Validate(Confirming(("call_1", true), ("call_2", false))).IsValid.Should().BeTrue();

    [Fact]
    public void Validate_WithConfirmationsButNoConversation_FailsOnConversationId() =>
        ShouldFailOn(Confirming(("call_1", true)) with { ConversationId = null }, "conversation_id", ErrorCodes.MissingRequiredParameter);

    [Fact]
    public void Validate_WithConfirmationsAndMessages_FailsOnMessages() =>
        ShouldFailOn(Confirming(("call_1", true)) with { Messages = [new CompletionMessage("user", "yes")] }, "messages");

    [Fact]
    public void Validate_WithNoMessagesAndNoConfirmations_FailsOnMessages() =>
        ShouldFailOn(Confirming() with { ToolConfirmations = null }, "messages", ErrorCodes.MissingRequiredParameter);

    [Fact]
    public void Validate_WithAnEmptyConfirmationList_FailsOnToolConfirmations() =>
        ShouldFailOn(Confirming(), "tool_confirmations");

    [Fact]
    public void Validate_WithOneCallConfirmedTwice_FailsOnToolConfirmations() =>
        ShouldFailOn(Confirming(("call_1", true), ("call_1", false)), "tool_confirmations");

    [Fact]
    public void Validate_WithoutCallId_FailsOnCallId() =>
        ShouldFailOn(Confirming(("call_1", true), (null, true)), "tool_confirmations[1].call_id", ErrorCodes.MissingRequiredParameter);

    [Fact]
    public void Validate_WithoutApprove_FailsOnApprove() =>
        ShouldFailOn(Confirming(("call_1", null)), "tool_confirmations[0].approve", ErrorCodes.MissingRequiredParameter);

    [Fact]
    public void Check_WhenTheRequiredCallIsConfirmed_AcceptsItAndStoresATurnForItsResult()
    {
        var confirmations = ToolConfirmations.Check(Confirming(("call_1", false)), Orders(), Stopped().History());

        confirmations.Should().NotBeNull();
        confirmations!.Turns.Should().ContainSingle().Which.Should().Be(new ConversationTurn(MessageRole.Tool, string.Empty, ToolCallId: "call_1"));
    }

    [Fact]
    public void Check_WhenCallsWaitAndTheRequestSendsAMessage_Is409Pending()
    {
        var request = new CreateCompletionCommand { Model = "orders", ConversationId = "conv_1", Messages = [new CompletionMessage("user", "never mind")] };

        var act = () => ToolConfirmations.Check(request, Orders(), Stopped().History());

        act.Should().Throw<ConflictException>().Which.Code.Should().Be(ToolConfirmations.PendingCode);
    }

    [Fact]
    public void Check_WhenTheCallIdDoesNotWait_Is400OnThatCallId()
    {
        var act = () => ToolConfirmations.Check(Confirming(("call_1", true), ("call_9", true)), Orders(), Stopped().History());

        act.Should().Throw<BadRequestException>().Which.Param.Should().Be("tool_confirmations[1].call_id");
    }

    [Fact]
    public void Check_WhenACallThatRequiresConfirmationIsLeftOut_Is400OnToolConfirmations()
    {
        var act = () => ToolConfirmations.Check(Confirming(("call_2", true)), Orders(), Stopped().History());

        act.Should().Throw<BadRequestException>().Which.Param.Should().Be("tool_confirmations");
    }

    [Fact]
    public void Check_WhenTheCallsWereSettled_Is409NothingPending()
    {
        var conversation = Stopped();
        var confirmations = ToolConfirmations.Check(Confirming(("call_1", true)), Orders(), conversation.History())!;
        var turn = conversation.AddTurns(confirmations.Turns, "echo", [], s_now);
        conversation.RecordAnswers(
            turn,
            [new AnswerChoice(0, "Cancelled.", "stop", new TokenUsage(10, 5))],
            "echo",
            1,
            s_now,
            [new ConversationTurn(MessageRole.Tool, "cancelled", ToolCallId: "call_1"), new ConversationTurn(MessageRole.Tool, "shipped", ToolCallId: "call_2")]);

        var act = () => ToolConfirmations.Check(Confirming(("call_1", true)), Orders(), conversation.History());

        act.Should().Throw<ConflictException>().Which.Code.Should().Be(ToolConfirmations.NothingPendingCode);
        conversation.History().Select(m => (m.Role, m.Content, m.ToolCallId)).Should().Equal(
            (MessageRole.User, "cancel A1", null),
            (MessageRole.Assistant, string.Empty, null),
            (MessageRole.Tool, "cancelled", "call_1"),
            (MessageRole.Tool, "shipped", "call_2"),
            (MessageRole.Assistant, "Cancelled.", null));
    }

    [Fact]
    public void Check_WhenTheResumedTurnFailed_TheCallsStillWait()
    {
        var conversation = Stopped();
        var turn = conversation.AddTurns(ToolConfirmations.Check(Confirming(("call_1", true)), Orders(), conversation.History())!.Turns, "echo", [], s_now);
        conversation.FailTurn(turn, "The LLM call failed.", s_now);

        ToolConfirmations.Check(Confirming(("call_1", true)), Orders(), conversation.History()).Should().NotBeNull();
    }
}

using Devana.Domain.Common;
using Devana.Domain.Conversations;
using Devana.Domain.Conversations.Rules;
using static Devana.Domain.UnitTests.Common.RuleAssertions;

namespace Devana.Domain.UnitTests.Conversations;

public sealed class ConversationTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static Conversation NewConversation() => Conversation.Start("ws_1", "usr_1", "support", null, s_now);

    [Fact]
    public void RecordAnswers_WithToolSteps_StoresThemInOrderBeforeTheAnswer_AndReplaysThem()
    {
        var conversation = NewConversation();
        var userTurn = conversation.AddTurns([(MessageRole.User, "Where is A1?")], "echo", [], s_now);
        var call = new ToolCall("call_1", "order_status", """{"order_id":"A1"}""");
        ConversationTurn[] steps =
        [
            new(MessageRole.Assistant, string.Empty, [call]),
            new(MessageRole.Tool, """{"status":"shipped"}""", ToolCallId: "call_1"),
        ];

        var answers = conversation.RecordAnswers(userTurn, [new AnswerChoice(0, "Shipped.", "stop", new TokenUsage(10, 2))], "echo", 5, s_now, steps);

        var history = conversation.History();
        history.Select(m => m.Role).Should().Equal(MessageRole.User, MessageRole.Assistant, MessageRole.Tool, MessageRole.Assistant);
        history.Select(m => m.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        history[1].ToolCalls.Should().Equal(call);
        history[2].ToolCallId.Should().Be("call_1");
        history[3].Should().BeSameAs(answers[0]);
        conversation.MessageCount.Should().Be(4);
        userTurn.Status.Should().Be(MessageStatus.Completed);
    }

    [Fact]
    public void Start_GivesAConvIdAndNoMessages()
    {
        var conversation = NewConversation();

        conversation.Id.Should().StartWith("conv_");
        conversation.MessageCount.Should().Be(0);
        conversation.Title.Should().BeEmpty();
    }

    [Fact]
    public void AddTurns_TitleComesFromTheFirstUserTurn()
    {
        var conversation = NewConversation();

        conversation.AddTurns([(MessageRole.User, "How do I reset\nmy password?")], "echo", [], s_now);

        conversation.Title.Should().Be("How do I reset my password?");
    }

    [Fact]
    public void AddTurns_WhenFirstUserTurnIsLong_TitleIsCutTo100Characters()
    {
        var conversation = NewConversation();

        conversation.AddTurns([(MessageRole.User, new string('a', 300))], "echo", [], s_now);

        conversation.Title.Should().HaveLength(100).And.EndWith("…");
    }

    [Theory]
    [InlineData(MessageRole.User, true)]
    [InlineData(MessageRole.Tool, true)]
    [InlineData(MessageRole.Assistant, false)]
    [InlineData(MessageRole.System, false)]
    public void TheLastMessageMustBeTheUsersOrAToolResult(MessageRole last, bool allowed)
    {
        LastTurnMustBeFromUserRule.MayEndWith(last).Should().Be(allowed);
        new LastTurnMustBeFromUserRule([new ConversationTurn(MessageRole.User, "hi"), new ConversationTurn(last, "x")]).IsBroken().Should().Be(!allowed);
        new LastTurnMustBeFromUserRule([]).IsBroken().Should().BeTrue();
    }

    [Fact]
    public void AddTurns_WhenLastTurnIsNotUser_BreaksLastTurnMustBeFromUserRule()
    {
        var conversation = NewConversation();

        AssertBrokenRule<LastTurnMustBeFromUserRule>(() => conversation.AddTurns([(MessageRole.User, "hi"), (MessageRole.Assistant, "hello")], "echo", [], s_now));
    }

    [Fact]
    public void AddTurns_LastTurnIsPendingAndCarriesTheFiles()
    {
        var conversation = NewConversation();

        var turn = conversation.AddTurns([(MessageRole.User, "a"), (MessageRole.Assistant, "b"), (MessageRole.User, "c")], "echo", ["file_1"], s_now);

        turn.Content.Should().Be("c");
        turn.Status.Should().Be(MessageStatus.Pending);
        turn.FileIds.Should().Equal("file_1");
        conversation.Messages.Where(m => m != turn).Should().OnlyContain(m => m.Status == MessageStatus.Completed && m.FileIds.Count == 0);
        conversation.MessageCount.Should().Be(3);
    }

    [Fact]
    public void RecordAnswers_StoresEveryChoiceAndCompletesTheTurn()
    {
        var conversation = NewConversation();
        var turn = conversation.AddTurns([(MessageRole.User, "hi")], "echo", [], s_now);

        var answers = conversation.RecordAnswers(turn, [new AnswerChoice(0, "one", "stop", new TokenUsage(3, 1)), new AnswerChoice(1, "two", "length", new TokenUsage(3, 1))], "echo", 12, s_now);

        answers.Should().HaveCount(2);
        answers.Select(a => a.Sequence).Distinct().Should().ContainSingle();
        turn.Status.Should().Be(MessageStatus.Completed);
        conversation.MessageCount.Should().Be(3);
    }

    [Fact]
    public void History_HoldsCompletedTurnsAndOnlyChoiceZero()
    {
        var conversation = NewConversation();
        var first = conversation.AddTurns([(MessageRole.User, "q1")], "echo", [], s_now);
        conversation.RecordAnswers(first, [new AnswerChoice(0, "a1", "stop", TokenUsage.None), new AnswerChoice(1, "a1-alt", "stop", TokenUsage.None)], "echo", 1, s_now);
        var failed = conversation.AddTurns([(MessageRole.User, "q2")], "echo", [], s_now);
        conversation.FailTurn(failed, "upstream down", s_now);
        var third = conversation.AddTurns([(MessageRole.User, "q3")], "echo", [], s_now);
        conversation.RecordAnswers(third, [new AnswerChoice(0, "a3", "stop", TokenUsage.None)], "echo", 1, s_now);

        conversation.History().Select(m => m.Content).Should().Equal("q1", "a1", "q3", "a3");
    }

    [Fact]
    public void FailTurn_MarksTheTurnFailedAndStoresNoAnswer()
    {
        var conversation = NewConversation();
        var turn = conversation.AddTurns([(MessageRole.User, "hi")], "echo", [], s_now);

        conversation.FailTurn(turn, "boom", s_now);

        turn.Status.Should().Be(MessageStatus.Failed);
        turn.Error.Should().Be("boom");
        conversation.Messages.Should().ContainSingle();
    }

    [Fact]
    public void RecordAnswers_WhenTurnAlreadyAnswered_BreaksTurnMustBePendingRule()
    {
        var conversation = NewConversation();
        var turn = conversation.AddTurns([(MessageRole.User, "hi")], "echo", [], s_now);
        conversation.RecordAnswers(turn, [new AnswerChoice(0, "a", "stop", TokenUsage.None)], "echo", 1, s_now);

        AssertBrokenRule<TurnMustBePendingRule>(() => conversation.RecordAnswers(turn, [new AnswerChoice(0, "b", "stop", TokenUsage.None)], "echo", 1, s_now));
    }

    [Fact]
    public void AddTurns_WhenDeleted_BreaksConversationMustNotBeDeletedRule()
    {
        var conversation = NewConversation();
        conversation.Delete(s_now);

        AssertBrokenRule<ConversationMustNotBeDeletedRule>(() => conversation.AddTurns([(MessageRole.User, "hi")], "echo", [], s_now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Rename_WhenTitleIsBlank_BreaksConversationTitleMustBeValidRule(string title)
    {
        AssertBrokenRule<ConversationTitleMustBeValidRule>(() => NewConversation().Rename(title, s_now));
    }

    [Fact]
    public void Rename_WhenTitleIsTooLong_BreaksConversationTitleMustBeValidRule()
    {
        AssertBrokenRule<ConversationTitleMustBeValidRule>(() => NewConversation().Rename(new string('x', 101), s_now));
    }

    [Fact]
    public void SetMetadata_WhenMoreThan16Keys_BreaksMetadataMustBeSmallRule()
    {
        var metadata = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v");

        AssertBrokenRule<MetadataMustBeSmallRule>(() => NewConversation().SetMetadata(metadata, s_now));
    }

    [Theory]
    [InlineData("ws_1", "usr_1", false, false, true)]
    [InlineData("ws_1", "usr_2", true, false, true)]
    [InlineData("ws_1", "usr_2", false, false, false)]
    [InlineData("ws_2", "usr_1", true, false, false)]
    [InlineData("ws_1", "usr_1", false, true, false)]
    [InlineData("ws_1", "usr_2", true, true, false)]
    public void AConversationMayBeReadByItsOwnerOrAWorkspaceAdminUntilDeleted(string workspaceId, string principalId, bool isAdmin, bool deleted, bool mayRead)
    {
        var conversation = NewConversation();
        if (deleted)
        {
            conversation.Delete(s_now);
        }

        var actor = new Actor(workspaceId, principalId, isAdmin);

        Conversation.MayBeReadByItsOwnerOrAWorkspaceAdmin.Allows(conversation, actor).Should().Be(mayRead);
        Conversation.MayBeReadByItsOwnerOrAWorkspaceAdmin.For(actor).Compile()(conversation).Should().Be(mayRead);
    }

    [Theory]
    [InlineData("ws_1", "usr_1", false, true)]
    [InlineData("ws_1", "usr_2", false, false)]
    [InlineData("ws_2", "usr_1", false, false)]
    [InlineData("ws_1", "usr_1", true, false)]
    public void AConversationMayBeContinuedOnlyByItsOwnerUntilDeleted(string workspaceId, string principalId, bool deleted, bool mayContinue)
    {
        var conversation = NewConversation();
        if (deleted)
        {
            conversation.Delete(s_now);
        }

        conversation.CanBeContinuedBy(workspaceId, principalId).Should().Be(mayContinue);
        Conversation.MayBeContinuedOnlyByItsOwner.For(new Actor(workspaceId, principalId, true)).Compile()(conversation).Should().Be(mayContinue, "admin rights do not let anyone continue another's conversation");
    }

    [Fact]
    public void AddTurns_WhileATurnWaitsForItsAnswer_BreaksConversationMustNotHaveATurnInProgressRule()
    {
        var conversation = NewConversation();
        conversation.AddTurns([(MessageRole.User, "first")], "echo", [], s_now);

        var rule = conversation.Invoking(c => c.AddTurns([(MessageRole.User, "second")], "echo", [], s_now.AddSeconds(5)))
            .Should().Throw<BusinessRuleValidationException>().Which.BrokenRule;

        rule.Should().BeOfType<ConversationMustNotHaveATurnInProgressRule>();
        rule.Kind.Should().Be(RuleViolationKind.Conflict);
        rule.Code.Should().Be("conversation_busy");
        rule.Param.Should().Be("conversation_id");
        conversation.MessageCount.Should().Be(1, "the refused turn is not added");
    }

    [Fact]
    public void AddTurns_AfterTheAnswerIsStored_IsAccepted()
    {
        var conversation = NewConversation();
        var first = conversation.AddTurns([(MessageRole.User, "first")], "echo", [], s_now);
        conversation.RecordAnswers(first, [new AnswerChoice(0, "answer", "stop", new TokenUsage(1, 1))], "echo", 10, s_now);

        conversation.AddTurns([(MessageRole.User, "second")], "echo", [], s_now);

        conversation.MessageCount.Should().Be(3);
        conversation.TurnInProgress(s_now).Should().NotBeNull();
    }

    [Fact]
    public void AddTurns_AfterATurnWasAbandoned_MarksItFailedAndGoesOn()
    {
        var conversation = NewConversation();
        var abandoned = conversation.AddTurns([(MessageRole.User, "lost")], "echo", [], s_now);
        var later = s_now + Conversation.PendingTurnLifetime;

        conversation.TurnInProgress(later).Should().BeNull();
        conversation.AddTurns([(MessageRole.User, "again")], "echo", [], later);

        abandoned.Status.Should().Be(MessageStatus.Failed);
        conversation.MessageCount.Should().Be(2);
        conversation.History().Should().BeEmpty("neither a failed nor a pending turn is history");
    }
}

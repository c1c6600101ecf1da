using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.Common;
using Devana.Application.Llm.Common;
using Microsoft.Extensions.AI;

namespace Devana.Application.UnitTests.Completions;

public sealed class PromptBuilderTests
{
    /// <summary>One token per word plus one per message: easy to reason about in tests.</summary>
    private sealed class WordCounter : ITokenCounter
    {
        public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

        public int CountTokens(IEnumerable<ChatMessage> messages) => messages.Sum(m => CountTokens(m.Text) + 1);
    }

    private static readonly PromptBuilder s_builder = new(new WordCounter());

    private static PromptParts Parts(string? instructions = null, string? lang = null, string? context = null, (ChatRole, string)[]? history = null, (ChatRole, string)[]? request = null) =>
        new(instructions, lang, context, Messages(history ?? []), Messages(request ?? [(ChatRole.User, "hello")]));

    private static List<ChatMessage> Messages((ChatRole Role, string Text)[] messages) =>
        messages.Select(m => new ChatMessage(m.Role, m.Text)).ToList();

    [Fact]
    public void Build_PutsPartsInContractOrder()
    {
        var prompt = s_builder.Build(
            Parts("Be brief.", "fr", "doc text", [(ChatRole.User, "old question"), (ChatRole.Assistant, "old answer")], [(ChatRole.User, "new question")]),
            maxTokens: 10,
            contextWindow: 1000);

        prompt.Messages.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User);
        var system = prompt.Messages[0].Text;
        system.IndexOf("Be brief.", StringComparison.Ordinal).Should().BeLessThan(system.IndexOf("Always answer in", StringComparison.Ordinal));
        system.IndexOf("Always answer in", StringComparison.Ordinal).Should().BeLessThan(system.IndexOf("doc text", StringComparison.Ordinal));
        prompt.Messages.Skip(1).Select(m => m.Text).Should().Equal("old question", "old answer", "new question");
        prompt.TrimmedHistoryMessages.Should().Be(0);
    }

    [Fact]
    public void Build_WithoutInstructionsLangOrContext_SendsNoSystemMessage()
    {
        var prompt = s_builder.Build(Parts(), 10, 1000);

        prompt.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.User);
    }

    [Fact]
    public void Build_WhenHistoryDoesNotFit_TrimsOldestFirst()
    {
        // Each history message costs 3 (two words + 1); the request costs 2; window 20 - max_tokens 10 = 10 budget.
        var history = new[] { (ChatRole.User, "first one"), (ChatRole.Assistant, "second one"), (ChatRole.User, "third one"), (ChatRole.Assistant, "fourth one") };

        var prompt = s_builder.Build(Parts(history: history), maxTokens: 10, contextWindow: 20);

        prompt.Messages.Select(m => m.Text).Should().Equal("third one", "fourth one", "hello");
        prompt.TrimmedHistoryMessages.Should().Be(2);
        prompt.PromptTokens.Should().BeLessThanOrEqualTo(10);
    }

    [Fact]
    public void Build_WhenRequestAloneExceedsTheWindow_Throws400NamingMessages()
    {
        var act = () => s_builder.Build(Parts(request: [(ChatRole.User, string.Join(' ', Enumerable.Repeat("word", 50)))]), maxTokens: 10, contextWindow: 40);

        act.Should().Throw<BadRequestException>().Which.Param.Should().Be("messages");
    }

    [Fact]
    public void LanguageInstruction_NamesTheLanguageAndTheCode()
    {
        PromptBuilder.LanguageInstruction("fr").Should().Contain("(fr)");
    }

    [Fact]
    public void ContextBudget_LeavesRoomForTheAnswerAndTheMessages()
    {
        var budget = s_builder.ContextBudget(Parts("Be brief."), maxTokens: 100, contextWindow: 1000);

        budget.Should().BeGreaterThan(0).And.BeLessThan(900);
    }
}

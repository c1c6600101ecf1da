using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

/// <summary>
/// A completion answers the caller: the last message it is sent must be the user's, or a tool result
/// answering the LLM's tool calls. The request validator applies the same rule (<see cref="MayEndWith"/>).
/// </summary>
public sealed class LastTurnMustBeFromUserRule(IReadOnlyList<ConversationTurn> turns) : IBusinessRule
{
    public const string Text = "The last message must have the role 'user' (or 'tool', answering the LLM's tool calls).";

    /// <summary>The rule itself: whether the turns may end with a message of this role.</summary>
    public static bool MayEndWith(MessageRole role) => role is MessageRole.User or MessageRole.Tool;

    public bool IsBroken() => turns.Count == 0 || !MayEndWith(turns[^1].Role);

    public string Message => Text;

    public string? Param => "messages";
}

using System.Text.Json;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Splits what a tool loop produced (the <see cref="FunctionInvokingChatClient"/>'s response messages) into
/// the steps Devana ran — each assistant turn that called the agent's tools, and each tool result — and the
/// answer after the last result, which is what the caller gets.
/// </summary>
internal static class ToolSteps
{
    public static (IReadOnlyList<ConversationTurn> Steps, IReadOnlyList<ChatMessage> Answer) Split(IList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lastResult = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Contents.Any(c => c is FunctionResultContent))
            {
                lastResult = i;
            }
        }

        if (lastResult < 0)
        {
            return ([], messages.ToList());
        }

        var steps = new List<ConversationTurn>();
        foreach (var message in messages.Take(lastResult + 1))
        {
            if (ToolConfirmations.IsReplayed(message))
            {
                // The calls a confirmation let run are already stored, with the answer that stopped for them.
                continue;
            }

            var calls = message.Contents.OfType<FunctionCallContent>().Select(ConversationMessages.ToToolCall).ToList();
            if (message.Role == ChatRole.Assistant && (calls.Count > 0 || message.Text.Length > 0))
            {
                steps.Add(new ConversationTurn(MessageRole.Assistant, message.Text, calls.Count > 0 ? calls : null));
            }

            steps.AddRange(message.Contents.OfType<FunctionResultContent>()
                .Select(result => new ConversationTurn(MessageRole.Tool, ResultText(result), ToolCallId: result.CallId)));
        }

        return (steps, messages.Skip(lastResult + 1).ToList());
    }

    public static string ResultText(FunctionResultContent result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Result switch
        {
            null => string.Empty,
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
            var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions),
        };
    }
}

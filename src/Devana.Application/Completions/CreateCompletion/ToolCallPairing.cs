using Devana.Application.Common.Exceptions;
using Devana.Domain.Conversations;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// OpenAI's rule for tool messages, checked over the stored history and the request's messages in order:
/// a <c>tool</c> message answers a call of the nearest assistant message before it, each call once, and
/// every call is answered before the next user or assistant message. (Upstreams refuse a history that
/// breaks it; checking here names the message at fault.)
/// </summary>
internal static class ToolCallPairing
{
    public static void Check(IReadOnlyList<Message> history, IReadOnlyList<CompletionMessage> messages)
    {
        var waiting = new List<string>();
        foreach (var message in history)
        {
            switch (message.Role)
            {
                case MessageRole.Assistant:
                    waiting = message.ToolCalls.Select(c => c.Id).ToList();
                    break;
                case MessageRole.Tool:
                    waiting.Remove(message.ToolCallId!);
                    break;
                case MessageRole.User:
                    waiting.Clear();
                    break;
            }
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case "tool":
                    if (!waiting.Remove(message.ToolCallId!))
                    {
                        throw new BadRequestException(
                            $"messages[{i}] answers the tool call '{message.ToolCallId}', but no call with that id is waiting for an answer" +
                            (waiting.Count == 0 ? "." : $" (waiting: {string.Join(", ", waiting)})."),
                            $"messages[{i}].tool_call_id");
                    }

                    break;
                case "user" or "assistant":
                    if (waiting.Count > 0)
                    {
                        throw new BadRequestException(
                            $"The tool calls {string.Join(", ", waiting)} are not answered: an assistant message with tool_calls must be followed by a tool message for each call before messages[{i}].",
                            $"messages[{i}]");
                    }

                    waiting = message.ToolCalls?.Select(c => c.Id!).ToList() ?? [];
                    break;
            }
        }
    }
}

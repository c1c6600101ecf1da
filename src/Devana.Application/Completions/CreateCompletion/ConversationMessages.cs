using System.Text.Json;
using Devana.Application.Common.Exceptions;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Turns request messages and stored messages into what the LLM adapters take (Microsoft.Extensions.AI
/// contents: text, images, function calls and function results) and request messages into stored turns.
/// </summary>
internal static class ConversationMessages
{
    // The adapters' default options indent; arguments go out as compact JSON text, as OpenAI writes them.
    private static readonly JsonSerializerOptions s_compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>
    /// The request's messages, each read once, its role converted here: what the LLM is sent, and the turns to
    /// store (system messages are sent, not stored; images are sent, not kept).
    /// </summary>
    public static (List<ChatMessage> Prompt, List<ConversationTurn> Turns) FromRequest(IReadOnlyList<CompletionMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new List<ChatMessage>(messages.Count);
        var turns = new List<ConversationTurn>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case "user":
                    prompt.Add(new ChatMessage(ChatRole.User, UserContents(message.Content, message.Images)));
                    turns.Add(new ConversationTurn(MessageRole.User, message.Content ?? string.Empty));
                    break;
                case "assistant":
                    var index = i;
                    var calls = message.ToolCalls?.Select((call, j) => new ToolCall(call.Id!, call.Name!, ArgumentsText(call.Arguments, index, j))).ToList();
                    prompt.Add(Assistant(message.Content, calls));
                    turns.Add(new ConversationTurn(MessageRole.Assistant, message.Content ?? string.Empty, calls));
                    break;
                case "tool":
                    prompt.Add(ToolResult(message.ToolCallId!, message.Content ?? string.Empty));
                    turns.Add(new ConversationTurn(MessageRole.Tool, message.Content ?? string.Empty, ToolCallId: message.ToolCallId));
                    break;
                default:
                    prompt.Add(new ChatMessage(ChatRole.System, message.Content));
                    break;
            }
        }

        return (prompt, turns);
    }

    public static ChatMessage ToChatMessage(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Role switch
        {
            MessageRole.User => new ChatMessage(ChatRole.User, message.Content),
            MessageRole.Assistant => Assistant(message.Content, message.ToolCalls),
            MessageRole.Tool => ToolResult(message.ToolCallId!, message.Content),
            _ => new ChatMessage(ChatRole.System, message.Content),
        };
    }

    /// <summary>A tool call of an answer, from the adapter's function call: the arguments as JSON text.</summary>
    public static ToolCall ToToolCall(FunctionCallContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arguments = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, s_compact);
        return new ToolCall(call.CallId, call.Name, arguments);
    }

    private static List<AIContent> UserContents(string? text, IReadOnlyList<CompletionImage>? images)
    {
        var contents = new List<AIContent> { new TextContent(text ?? string.Empty) };
        if (images is not null)
        {
            contents.AddRange(images.Select(CompletionImages.ToContent));
        }

        return contents;
    }

    private static ChatMessage Assistant(string? text, IReadOnlyList<ToolCall>? calls)
    {
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(text))
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in calls ?? [])
        {
            contents.Add(new FunctionCallContent(call.Id, call.Name, ParseArguments(call.Arguments)));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static ChatMessage ToolResult(string callId, string result) =>
        new(ChatRole.Tool, [new FunctionResultContent(callId, result)]);

    private static Dictionary<string, object?> ParseArguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);

    /// <summary>A request's <c>function.arguments</c>: the JSON text of an object ("" reads as <c>{}</c>); anything else is a 400.</summary>
    private static string ArgumentsText(string? arguments, int message, int call)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return "{}";
        }

        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return arguments;
            }
        }
        catch (JsonException)
        {
            // Falls through to the 400 below.
        }

        throw new BadRequestException(
            $"messages[{message}].tool_calls[{call}].function.arguments must be the JSON text of an object.",
            $"messages[{message}].tool_calls[{call}].function.arguments");
    }
}

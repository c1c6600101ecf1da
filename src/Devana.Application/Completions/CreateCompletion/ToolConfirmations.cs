using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.Common;
using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Tools that require confirmation (docs/tools.md#confirmation), on Microsoft.Extensions.AI's own approval
/// support. Such a tool is offered as an <see cref="ApprovalRequiredAIFunction"/>: when the LLM calls it, the
/// <see cref="FunctionInvokingChatClient"/> runs none of that round's calls and ends the loop with a
/// <see cref="ToolApprovalRequestContent"/> for each. The answer is stored with those calls and
/// <c>finish_reason: "tool_confirmation"</c>, so a pending call is in the database, not in memory. The
/// caller's next request in the conversation carries <c>tool_confirmations</c>; the stored calls are
/// replayed as the approval requests, followed by one <see cref="ToolApprovalResponseContent"/> per call,
/// and the function-invoking client runs the approved calls, gives the LLM a refusal as the result of the
/// refused ones, and goes on with the loop. That request's turn is a pending tool turn standing for the
/// result of the first call, which it takes when the answer is stored.
/// </summary>
internal sealed class ToolConfirmations
{
    public const string FinishReason = "tool_confirmation";

    /// <summary>409: a new message (or a caller's tool result) while calls wait for a confirmation.</summary>
    public const string PendingCode = "tool_confirmation_pending";

    /// <summary>409: <c>tool_confirmations</c>, but no call of the conversation waits for one (none did, or it was settled).</summary>
    public const string NothingPendingCode = "no_pending_tool_calls";

    /// <summary>What the LLM reads as the result of a refused call, after Microsoft.Extensions.AI's own refusal text.</summary>
    public const string RefusalReason = "The user refused this call, so it did not run.";

    // The replayed answer that stopped for the calls: the function-invoking client returns a copy of it with
    // the calls it runs, which are stored already and are not stored again (ToolSteps).
    private const string ReplayedMessageId = "devana-confirmed-calls";

    private readonly int _stoppedAt;
    private readonly IReadOnlyList<ToolCall> _calls;
    private readonly IReadOnlyDictionary<string, bool> _decisions;

    private ToolConfirmations(int stoppedAt, IReadOnlyList<ToolCall> calls, IReadOnlyDictionary<string, bool> decisions)
    {
        _stoppedAt = stoppedAt;
        _calls = calls;
        _decisions = decisions;
    }

    /// <summary>The turn stored for the request: a tool turn for the first call, which takes its result when the answer is stored.</summary>
    public IReadOnlyList<ConversationTurn> Turns => [new ConversationTurn(MessageRole.Tool, string.Empty, ToolCallId: _calls[0].Id)];

    public static AIFunction RequireApproval(AIFunction function) => new ApprovalRequiredAIFunction(function);

    /// <summary>The calls an answer stopped for: those the function-invoking client wrapped in approval requests.</summary>
    public static IReadOnlyList<ToolCall> PendingCalls(IEnumerable<ChatMessage> answer) =>
        answer.SelectMany(m => m.Contents)
            .OfType<ToolApprovalRequestContent>()
            .Select(request => request.ToolCall)
            .OfType<FunctionCallContent>()
            .Select(ConversationMessages.ToToolCall)
            .ToList();

    /// <summary>
    /// The request against what the conversation waits for: null when it neither waits nor is confirmed.
    /// </summary>
    /// <exception cref="ConflictException">Calls wait and the request does not confirm them, or it confirms and none wait.</exception>
    /// <exception cref="BadRequestException">A confirmation names a call that does not wait, or a call that requires confirmation is not answered.</exception>
    public static ToolConfirmations? Check(CreateCompletionCommand request, Agent agent, IReadOnlyList<Message> history)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(history);
        var (stoppedAt, waiting) = Waiting(history);
        var confirmations = request.ToolConfirmations;
        if (confirmations is null)
        {
            if (waiting.Count > 0)
            {
                throw new ConflictException(
                    $"Conversation '{request.ConversationId}' waits for your word on the tool calls {Names(waiting)}: " +
                    "send tool_confirmations (approve or refuse each, with no messages) before anything else.",
                    "tool_confirmations",
                    PendingCode);
            }

            return null;
        }

        if (waiting.Count == 0)
        {
            throw new ConflictException(
                $"Conversation '{request.ConversationId}' has no tool call waiting for a confirmation: its last answer did not stop for one, or the calls it stopped for were settled.",
                "tool_confirmations",
                NothingPendingCode);
        }

        var decisions = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < confirmations.Count; i++)
        {
            var callId = confirmations[i].CallId!;
            if (!waiting.Any(call => call.Id == callId))
            {
                throw new BadRequestException(
                    $"tool_confirmations[{i}] names the call '{callId}', which is not waiting for a confirmation (waiting: {Names(waiting)}).",
                    $"tool_confirmations[{i}].call_id");
            }

            decisions[callId] = confirmations[i].Approve!.Value;
        }

        var unanswered = waiting.Where(call => !decisions.ContainsKey(call.Id) && RequiresConfirmation(agent, call.Name)).ToList();
        if (unanswered.Count > 0)
        {
            throw new BadRequestException(
                $"The tool calls {Names(unanswered)} require your confirmation: tool_confirmations must approve or refuse each of them.",
                "tool_confirmations");
        }

        return new ToolConfirmations(stoppedAt, waiting, decisions);
    }

    /// <summary>
    /// The prompt for the function-invoking client: the stored answer's calls become approval requests, and a
    /// message with the caller's answers follows. A call the caller did not name runs (its tool does not
    /// require confirmation: it only waited with the others of its round).
    /// </summary>
    public void Apply(IList<ChatMessage> history, IList<ChatMessage> requestMessages)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(requestMessages);
        var stopped = history[_stoppedAt];
        var calls = stopped.Contents.OfType<FunctionCallContent>().ToDictionary(call => call.CallId, StringComparer.Ordinal);
        var contents = stopped.Contents
            .Select(content => content is FunctionCallContent call ? new ToolApprovalRequestContent(RequestId(call.CallId), call) : content)
            .ToList();
        history[_stoppedAt] = new ChatMessage(ChatRole.Assistant, contents) { MessageId = ReplayedMessageId };
        var answers = _calls.Select(call =>
        {
            var approved = _decisions.GetValueOrDefault(call.Id, true);
            return (AIContent)new ToolApprovalResponseContent(RequestId(call.Id), approved, calls[call.Id]) { Reason = approved ? null : RefusalReason };
        });
        requestMessages.Add(new ChatMessage(ChatRole.User, answers.ToList()));
    }

    /// <summary>Whether the function-invoking client returned this message as the copy of the replayed answer, with the calls it then ran.</summary>
    public static bool IsReplayed(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Role == ChatRole.Assistant && message.MessageId == ReplayedMessageId;
    }

    /// <summary>An answer that stopped for calls: <c>finish_reason: "tool_confirmation"</c>, with the calls stored on it.</summary>
    public static AnswerChoice StopIfPending(AnswerChoice choice, IReadOnlyList<ToolCall>? pending)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return pending is not { Count: > 0 } ? choice : choice with { FinishReason = FinishReason, ToolCalls = [.. choice.ToolCalls ?? [], .. pending] };
    }

    /// <summary><c>devana.pending_tool_calls</c> of an answer that stopped for calls, else null.</summary>
    public static IReadOnlyList<PendingToolCallDto>? PendingOf(AnswerChoice choice, AgentTools? tools)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.FinishReason == FinishReason && choice.ToolCalls is { Count: > 0 } calls
            ? calls.Select(call => new PendingToolCallDto(call.Id, call.Name, call.Arguments, tools?.RequiresConfirmation(call.Name) ?? false)).ToList()
            : null;
    }

    public static DevanaCompletionDto? DevanaOf(AnswerChoice choice, AgentTools? tools) =>
        PendingOf(choice, tools) is { } pending ? new DevanaCompletionDto(pending) : null;

    public static DevanaChunkDto? DevanaChunkOf(AnswerChoice choice, AgentTools? tools) =>
        PendingOf(choice, tools) is { } pending ? new DevanaChunkDto(null) { PendingToolCalls = pending } : null;

    /// <summary>
    /// The calls of the last answer that stopped for a confirmation and have no result yet, with its place in
    /// <paramref name="history"/>; none when the conversation went on since.
    /// </summary>
    private static (int StoppedAt, IReadOnlyList<ToolCall> Waiting) Waiting(IReadOnlyList<Message> history)
    {
        var stoppedAt = -1;
        var waiting = new List<ToolCall>();
        for (var i = 0; i < history.Count; i++)
        {
            var message = history[i];
            switch (message.Role)
            {
                case MessageRole.Assistant when message.FinishReason == FinishReason && message.ToolCalls.Count > 0:
                    stoppedAt = i;
                    waiting = message.ToolCalls.ToList();
                    break;
                case MessageRole.Assistant or MessageRole.User:
                    stoppedAt = -1;
                    waiting = [];
                    break;
                case MessageRole.Tool:
                    waiting.RemoveAll(call => call.Id == message.ToolCallId);
                    break;
            }
        }

        return waiting.Count > 0 ? (stoppedAt, waiting) : (-1, []);
    }

    private static bool RequiresConfirmation(Agent agent, string toolName) =>
        agent.Tools.Any(tool => tool.Name == toolName && tool.RequiresConfirmation);

    private static string RequestId(string callId) => "confirm_" + callId;

    private static string Names(IEnumerable<ToolCall> calls) => string.Join(", ", calls.Select(call => $"{call.Id} ({call.Name})"));
}

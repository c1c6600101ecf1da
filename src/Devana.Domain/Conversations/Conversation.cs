using Devana.Domain.Common;
using Devana.Domain.Conversations.Rules;

namespace Devana.Domain.Conversations;

/// <summary>
/// A conversation between one principal and one agent. It holds its messages; the stored history is the
/// completed user/assistant turns, with choice 0 of each answer continuing the conversation.
/// </summary>
public sealed class Conversation : Entity, IOwned
{
    public const int TitleMaxLength = 100;
    public const int MaxMetadataKeys = 16;

    /// <summary>
    /// How long a turn may wait for its answer before it counts as abandoned (the instance that ran it
    /// stopped): it then no longer keeps the conversation busy, and the next turn marks it failed.
    /// </summary>
    public static readonly TimeSpan PendingTurnLifetime = TimeSpan.FromMinutes(15);

    private readonly List<Message> _messages = [];
    private Dictionary<string, string> _metadata = [];

    private Conversation()
    {
    }

    public string Id { get; private set; } = null!;

    public string WorkspaceId { get; private set; } = null!;

    /// <summary>The principal (<c>usr_…</c> or <c>cli_…</c>) that owns it.</summary>
    public string OwnerId { get; private set; } = null!;

    public string AgentId { get; private set; } = null!;

    public string Title { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    public IReadOnlyCollection<Message> Messages => _messages.AsReadOnly();

    /// <summary>How many messages are stored, failed turns included.</summary>
    public int MessageCount { get; private set; }

    /// <summary>
    /// The highest message sequence so far. Every turn and every answer moves it, so it is also the
    /// conversation's concurrency token: of two turns that read the same value, only one is stored.
    /// </summary>
    public int LastSequence { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    public static Conversation Start(string workspaceId, string ownerId, string agentId, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        var conversation = new Conversation
        {
            Id = PrefixedId.New(IdPrefixes.Conversation),
            WorkspaceId = workspaceId,
            OwnerId = ownerId,
            AgentId = agentId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (metadata is not null)
        {
            conversation.SetMetadata(metadata, now);
        }

        return conversation;
    }

    /// <summary>Reading it (and renaming or deleting it): its owner, or an admin of its workspace, while it is not deleted.</summary>
    public static readonly AccessRule<Conversation> MayBeReadByItsOwnerOrAWorkspaceAdmin = Ownership<Conversation>.OwnerOrWorkspaceAdmin.And(c => c.DeletedAt == null);

    /// <summary>Continuing it with new turns: its owner alone, while it is not deleted.</summary>
    public static readonly AccessRule<Conversation> MayBeContinuedOnlyByItsOwner = Ownership<Conversation>.Owner.And(c => c.DeletedAt == null);

    /// <summary>Whether the principal may continue it (<see cref="MayBeContinuedOnlyByItsOwner"/>).</summary>
    public bool CanBeContinuedBy(string workspaceId, string principalId) =>
        MayBeContinuedOnlyByItsOwner.Allows(this, new Actor(workspaceId, principalId, isWorkspaceAdmin: false));

    /// <inheritdoc cref="AddTurns(IReadOnlyList{ConversationTurn}, string, IReadOnlyList{string}, DateTimeOffset)"/>
    public Message AddTurns(IReadOnlyList<(MessageRole Role, string Content)> turns, string clientModel, IReadOnlyList<string> fileIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return AddTurns(turns.Select(t => new ConversationTurn(t.Role, t.Content)).ToList(), clientModel, fileIds, now);
    }

    /// <summary>
    /// The turns the caller sends: user, assistant and tool messages, in order. The last must be a user
    /// turn or a tool result; it is <see cref="MessageStatus.Pending"/> until <see cref="RecordAnswers"/> or
    /// <see cref="FailTurn"/>. The first user turn gives the title.
    /// </summary>
    public Message AddTurns(IReadOnlyList<ConversationTurn> turns, string clientModel, IReadOnlyList<string> fileIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(turns);
        CheckRule(new ConversationMustNotBeDeletedRule(this));
        CheckRule(new LastTurnMustBeFromUserRule(turns));
        CheckRule(new ConversationMustNotHaveATurnInProgressRule(this, now));
        foreach (var abandoned in _messages.Where(m => m.Status == MessageStatus.Pending).ToList())
        {
            abandoned.Fail("Abandoned: no answer was stored within the time a turn may take.");
        }

        Message? userTurn = null;
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            var (role, content) = (turn.Role, turn.Content);
            var isLast = i == turns.Count - 1;
            var message = Message.UserTurn(Id, ++LastSequence, turn, role is MessageRole.User or MessageRole.Tool ? clientModel : null, isLast ? fileIds : [], now);
            if (!isLast)
            {
                // Earlier turns the caller sent are history as given, not waiting for an answer.
                message.Complete();
            }

            _messages.Add(message);
            MessageCount++;
            if (Title.Length == 0 && role == MessageRole.User)
            {
                Title = TitleFrom(content);
            }

            userTurn = message;
        }

        UpdatedAt = now;
        return userTurn!;
    }

    /// <summary>
    /// Stores the n choices that answer <paramref name="userTurn"/> and marks it completed. The
    /// <paramref name="toolSteps"/> come first, in order: the calls of the tools Devana ran for the agent
    /// (assistant turns with tool calls) and their results (tool turns), so that they are replayed. A pending
    /// tool turn with no content (a confirmation, docs/tools.md#confirmation) takes the result of its call.
    /// </summary>
    public IReadOnlyList<Message> RecordAnswers(Message userTurn, IReadOnlyList<AnswerChoice> choices, string clientModel, long latencyMs, DateTimeOffset now, IReadOnlyList<ConversationTurn>? toolSteps = null)
    {
        ArgumentNullException.ThrowIfNull(userTurn);
        ArgumentNullException.ThrowIfNull(choices);
        CheckRule(new TurnMustBePendingRule(userTurn));
        foreach (var step in toolSteps ?? [])
        {
            if (step.Role == MessageRole.Tool && userTurn.Role == MessageRole.Tool && userTurn.Content.Length == 0 && step.ToolCallId == userTurn.ToolCallId)
            {
                // A tool loop resumed after a confirmation: its turn stood for the result of the call it
                // confirmed, which Devana only had once the call ran (docs/tools.md#confirmation).
                userTurn.Answer(step.Content);
                continue;
            }

            _messages.Add(Message.ToolStep(Id, ++LastSequence, step, clientModel, now));
            MessageCount++;
        }

        var sequence = ++LastSequence;
        var answers = choices
            .Select(choice => Message.Answer(choice.Id ?? PrefixedId.New(IdPrefixes.Message), Id, sequence, choice, clientModel, latencyMs, now))
            .ToList();
        _messages.AddRange(answers);
        MessageCount += answers.Count;
        userTurn.Complete();
        UpdatedAt = now;
        return answers;
    }

    /// <summary>The LLM call failed: the user turn is kept but marked failed, and no answer is stored.</summary>
    public void FailTurn(Message userTurn, string error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(userTurn);
        CheckRule(new TurnMustBePendingRule(userTurn));
        userTurn.Fail(error);
        UpdatedAt = now;
    }

    /// <summary>The turn still waiting for its answer (younger than <see cref="PendingTurnLifetime"/>), if any.</summary>
    public Message? TurnInProgress(DateTimeOffset now) =>
        _messages.FirstOrDefault(m => m.Status == MessageStatus.Pending && now - m.CreatedAt < PendingTurnLifetime);

    /// <summary>
    /// The history to replay, oldest first: completed user and assistant turns, only choice 0 of each
    /// answer, no failed or pending turn.
    /// </summary>
    public IReadOnlyList<Message> History() =>
        _messages
            .Where(m => m.Status == MessageStatus.Completed && m.ChoiceIndex == 0)
            .OrderBy(m => m.Sequence)
            .ToList();

    public void Rename(string title, DateTimeOffset now)
    {
        CheckRule(new ConversationMustNotBeDeletedRule(this));
        CheckRule(new ConversationTitleMustBeValidRule(title));
        Title = title;
        UpdatedAt = now;
    }

    public void SetMetadata(IReadOnlyDictionary<string, string> metadata, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        CheckRule(new MetadataMustBeSmallRule(metadata));
        _metadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        UpdatedAt = now;
    }

    public void Delete(DateTimeOffset now)
    {
        DeletedAt ??= now;
        UpdatedAt = now;
    }

    private static string TitleFrom(string content)
    {
        var line = content.ReplaceLineEndings(" ").Trim();
        return line.Length <= TitleMaxLength ? line : string.Concat(line.AsSpan(0, TitleMaxLength - 1), "…");
    }
}

/// <summary>
/// One choice of an answer, as the LLM produced it; <paramref name="Id"/> when it was announced before it
/// was stored (streaming); <paramref name="ToolCalls"/> when the LLM asked to call the caller's functions;
/// <paramref name="ClientModel"/> the LLM that wrote it, when not the one the answer as a whole names (a fallback).
/// </summary>
public sealed record AnswerChoice(int Index, string Content, string FinishReason, TokenUsage Usage, string? Id = null, IReadOnlyList<ToolCall>? ToolCalls = null, string? ClientModel = null);

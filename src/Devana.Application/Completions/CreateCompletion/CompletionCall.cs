using Devana.Application.Completions.Common;
using Devana.Application.Llm;
using Devana.Application.Quotas.Common;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Everything one completion needs once the request has been checked, its quota reserved and the user
/// turn stored. <see cref="Quota"/> is settled when the call ends, whatever the outcome. <see cref="Routes"/> are
/// the LLMs that may answer, in order: <see cref="Llm"/> (the one the request picked), then the agent's fallbacks.
/// </summary>
internal sealed record CompletionCall(
    Conversation Conversation,
    Message UserTurn,
    string AgentId,
    LlmModel Llm,
    IReadOnlyList<LlmRoute> Routes,
    Prompt Prompt,
    ChatOptions Options,
    int Choices,
    IReadOnlyList<PromptSource> Sources,
    QuotaReservation Quota)
{
    /// <summary>The request's <c>user</c>, kept on the usage ledger.</summary>
    public string? EndUser { get; init; }

    /// <summary>A client for one LLM call (one choice): the routes in order, falling back before the answer begins.</summary>
    public LlmFallbackChatClient NewClient() => new(Routes);
}

using Devana.Application.Completions.Common;
using Devana.Application.Llm.Common;
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

    /// <summary>The agent's tools that Devana runs in this completion, when it has any.</summary>
    public AgentTools? Tools { get; init; }

    /// <summary>The LLMs of one LLM call (one choice): the routes in order, falling back before an answer begins.</summary>
    public LlmFallbackChatClient NewClient() => new(Routes);

    /// <summary>
    /// What a choice calls: its LLMs, inside the agent's tool loop when it has tools, so that each round of the
    /// loop falls back on its own.
    /// </summary>
    public IChatClient ClientFor(LlmFallbackChatClient llms) => Tools?.Wrap(llms) ?? llms;
}

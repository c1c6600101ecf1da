using Devana.Application.Completions.Common;
using Devana.Application.Llm;
using Devana.Application.Quotas.Common;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Everything one completion needs once the request has been checked, its quota reserved and the user
/// turn stored. <see cref="Quota"/> is settled when the call ends, whatever the outcome.
/// </summary>
internal sealed record CompletionCall(
    Conversation Conversation,
    Message UserTurn,
    string AgentId,
    LlmModel Llm,
    IChatClient Client,
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
}

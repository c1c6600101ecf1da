using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Completions.Common;
using Devana.Application.Conversations.Common;
using Devana.Application.Llm.Common;
using Devana.Application.Quotas.Common;
using Devana.Application.Tools;
using Devana.Domain.Agents;
using Devana.Application.Agents.Common;
using Devana.Domain.Conversations;
using Devana.Domain.Conversations.Rules;
using Devana.Domain.Quotas;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// The steps of a completion: the agent, the LLM, the conversation, the prompt; then the reservation on the
/// quota counters with the user turn (a refused request stores nothing); then the call, which answers whole
/// or hands back a stream, and records the answer when it ends (docs/completions.md#what-is-stored).
/// Reads go through the request's context, released before a stream is handed back; every write goes through
/// <see cref="CompletionWrites"/>.
/// </summary>
internal sealed class CreateCompletionCommandHandler(
    IApplicationDbContext db,
    ICurrentPrincipal caller,
    ILlmCatalog catalog,
    ILlmClientProvider clients,
    ITokenCounter tokens,
    IPromptContextProvider contextProvider,
    IRequestLogContext log,
    QuotaGate quotas,
    CompletionWrites writes,
    CompletionRunner runner,
    ISettingsCache settings,
    IAgentToolInvoker toolInvoker,
    IMcpToolSource mcpTools,
    TimeProvider clock)
    : IRequestHandler<CreateCompletionCommand, CompletionOutcome>
{
    public async Task<CompletionOutcome> Handle(CreateCompletionCommand request, CancellationToken cancellationToken)
    {
        var agent = await db.GetUsableAgentAsync(settings, caller.ToActor(), request.Model!, cancellationToken);
        var llm = ResolveLlm(request.ClientModel, agent);
        log.Set("Agent", agent.Id);
        log.Set("Llm", llm.Id);
        var maxTokens = CheckRequestFits(request, agent, llm);
        var (conversation, isNew) = await LoadOrStartConversationAsync(request, agent, cancellationToken);
        var stored = conversation.History();
        var confirmations = ToolConfirmations.Check(request, agent, stored);
        ToolCallPairing.Check(stored, request.Messages!);
        var (requestMessages, requestTurns) = ConversationMessages.FromRequest(request.Messages!);
        var history = stored.Select(ConversationMessages.ToChatMessage).ToList();
        confirmations?.Apply(history, requestMessages);
        var turns = confirmations?.Turns ?? requestTurns;
        var (prompt, sources) = await BuildPromptAsync(request, agent, llm, history, requestMessages, maxTokens, cancellationToken);

        var choices = request.N ?? 1;
        var options = CompletionOptions.For(request, agent, maxTokens);
        var tools = await AgentTools.PrepareAsync(request, agent, llm, conversation, caller.PrincipalId, options, toolInvoker, mcpTools, clock, cancellationToken);

        // Every LLM round of a tool loop reads the prompt again and may write up to max_tokens: the
        // reservation covers the rounds ahead, and is settled on what they used.
        var tokensToReserve = QuotaPolicy.TokensToReserve(prompt.PromptTokens, maxTokens, choices * (tools?.MaxLlmCalls ?? 1));
        var (userTurn, reservation) = await ReserveAndStoreTurnAsync(request, agent, llm, conversation, isNew, turns, tokensToReserve, (long)prompt.PromptTokens * choices, cancellationToken);

        var routes = RoutesFor(llm, agent, request, prompt.PromptTokens, maxTokens);
        var call = new CompletionCall(conversation, userTurn, agent.Id, llm, routes, prompt, options, choices, sources, reservation) { EndUser = request.User, Tools = tools };
        if (!request.Stream)
        {
            return CompletionOutcome.Whole(await runner.CompleteAsync(call, cancellationToken)) with { RateLimits = reservation.RateLimits };
        }

        // The reads are done, and the stream writes through the writer's contexts: the request's goes now,
        // not when the stream ends (an open stream holds no database context).
        await db.ReleaseAsync();
        return CompletionOutcome.Streamed(runner.StreamAsync(call, request.IncludeUsage, CancellationToken.None)) with { RateLimits = reservation.RateLimits };
    }

    /// <summary>The request's <c>max_tokens</c> (else the agent's, else the LLM's), once the LLM can take the request: else the 400.</summary>
    private static int CheckRequestFits(CreateCompletionCommand request, Agent agent, LlmModel llm)
    {
        var maxTokens = request.MaxTokens ?? agent.MaxTokens ?? llm.MaxOutputTokens;
        if (maxTokens > llm.MaxOutputTokens)
        {
            throw new BadRequestException($"max_tokens is {maxTokens}, but {llm.Id} writes at most {llm.MaxOutputTokens} tokens.", "max_tokens");
        }

        return MissingCapability(request, llm) is { } missing ? throw missing : maxTokens;
    }

    /// <summary>The agent's instructions, the stored history, the files' context and the request's messages, trimmed to the LLM's window.</summary>
    private async Task<(Prompt Prompt, IReadOnlyList<PromptSource> Sources)> BuildPromptAsync(
        CreateCompletionCommand request, Agent agent, LlmModel llm, List<ChatMessage> history, List<ChatMessage> requestMessages, int maxTokens, CancellationToken cancellationToken)
    {
        var lang = request.Lang?.ToLowerInvariant() ?? agent.Lang?.Value;
        var parts = new PromptParts(agent.Instructions, lang, null, history, requestMessages);

        var builder = new PromptBuilder(tokens);
        var context = await GetContextAsync(agent, request, parts, maxTokens, llm.ContextWindow, builder, cancellationToken);
        return (builder.Build(parts with { Context = context.Text }, maxTokens, llm.ContextWindow), context.Sources);
    }

    /// <summary>
    /// Adds the request's turns to the conversation and reserves the request on the quota counters: the
    /// reservation, its hold and the user turn are written in one transaction (<see cref="CompletionWrites"/>).
    /// A refused request (403) stores nothing, and a user turn that cannot be stored counts nothing. The user
    /// turn is stored before the LLM is called and stays pending until the answer is stored; if this instance
    /// dies before then, the hold expires and another instance settles it and marks the turn failed.
    /// </summary>
    private async Task<(Message UserTurn, QuotaReservation Reservation)> ReserveAndStoreTurnAsync(
        CreateCompletionCommand request, Agent agent, LlmModel llm, Conversation conversation, bool isNew, IReadOnlyList<ConversationTurn> turns, long tokensToReserve, long promptTokens, CancellationToken cancellationToken)
    {
        var policy = await quotas.PolicyForAsync(caller.ToActor(), agent.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var changes = ConversationChanges.Before(conversation, isNew);
        if (request.Metadata is not null)
        {
            conversation.SetMetadata(request.Metadata, now);
        }

        var userTurn = conversation.AddTurns(turns, llm.Id, request.Files ?? [], now);
        var hold = new QuotaHoldSubject(conversation.WorkspaceId, conversation.OwnerId, agent.Id, llm.Id, conversation.Id, userTurn.Id, request.User, promptTokens);
        try
        {
            return (userTurn, await writes.ReserveAsync(policy, tokensToReserve, hold, changes, cancellationToken));
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another turn of this conversation was stored since it was read (on this instance or another):
            // this one is refused whole (the reservation and hold included, rolled back) and can be retried.
            throw new ConflictException(
                new ConversationMustNotHaveATurnInProgressRule(conversation, now).Message, "conversation_id", ErrorCodes.ConversationBusy);
        }
    }

    /// <summary><c>clientModel</c> within the agent's <c>allowed_models</c>; else the agent's model; else the catalog default.</summary>
    private LlmModel ResolveLlm(string? clientModel, Agent agent)
    {
        if (!string.IsNullOrEmpty(clientModel))
        {
            var requested = catalog.Find(clientModel)
                ?? throw new BadRequestException($"clientModel '{clientModel}' is not an LLM of this server; GET /v1/llms lists them.", "clientModel", ErrorCodes.UnknownParameterValue);
            if (agent.AllowedModels.Count > 0 && !agent.AllowedModels.Contains(requested.Id, StringComparer.Ordinal))
            {
                throw new ForbiddenAccessException(ErrorCodes.ModelNotAllowed, $"The agent '{agent.Id}' does not allow the LLM '{requested.Id}'; it allows {string.Join(", ", agent.AllowedModels)}.", "clientModel");
            }

            return requested;
        }

        var id = agent.Model ?? catalog.DefaultModelId;
        return catalog.Find(id)
            ?? throw new BadRequestException($"The agent's model '{id}' is no longer in the LLM catalog; pick one with clientModel or update the agent.", "model");
    }

    /// <summary>
    /// The LLM picked first, then the agent's <c>fallback_models</c> in order: each LLM once, and only those that
    /// can take this request as it was built for the first (the capabilities it needs, tools when the agent has
    /// tools of its own, its <c>max_tokens</c>, its prompt within the context window). A fallback gone from the catalog since the agent was saved is passed over.
    /// </summary>
    private List<LlmRoute> RoutesFor(LlmModel first, Agent agent, CreateCompletionCommand request, int promptTokens, int maxTokens)
    {
        var routes = new List<LlmRoute> { new(first, clients.GetClient(first)) };
        foreach (var id in agent.FallbackModels)
        {
            if (catalog.Find(id) is { } llm
                && routes.TrueForAll(route => route.Llm.Id != llm.Id)
                && MissingCapability(request, llm) is null
                && (agent.Tools.Count == 0 || llm.Supports(LlmCapabilities.Tools))
                && maxTokens <= llm.MaxOutputTokens
                && promptTokens + maxTokens <= llm.ContextWindow)
            {
                routes.Add(new LlmRoute(llm, clients.GetClient(llm)));
            }
        }

        return routes;
    }

    /// <summary>A request that needs what its LLM's catalog entry does not declare: the 400 naming both, else null.</summary>
    private static BadRequestException? MissingCapability(CreateCompletionCommand request, LlmModel llm)
    {
        var messages = request.Messages!;
        if (request.Tools is { Count: > 0 } && !llm.Supports(LlmCapabilities.Tools))
        {
            return Unsupported(llm, LlmCapabilities.Tools, "tools");
        }

        if (!llm.Supports(LlmCapabilities.Tools))
        {
            var toolMessage = messages.Select((m, i) => (m, i)).FirstOrDefault(x => x.m.Role == "tool" || x.m.ToolCalls is { Count: > 0 });
            if (toolMessage.m is not null)
            {
                return Unsupported(llm, LlmCapabilities.Tools, $"messages[{toolMessage.i}]");
            }
        }

        if (!llm.Supports(LlmCapabilities.Vision))
        {
            var withImage = messages.Select((m, i) => (m, i)).FirstOrDefault(x => x.m.Images is { Count: > 0 });
            if (withImage.m is not null)
            {
                return Unsupported(llm, LlmCapabilities.Vision, $"messages[{withImage.i}].content");
            }
        }

        return null;
    }

    private static BadRequestException Unsupported(LlmModel llm, string capability, string param) => new(
        $"The LLM '{llm.Id}' does not take {(capability == LlmCapabilities.Vision ? "images" : "tools")}: its catalog entry's capabilities do not include '{capability}'. " +
        "Pick an LLM that has it with clientModel (GET /v1/llms lists each LLM's capabilities).",
        param,
        ErrorCodes.UnsupportedCapability);

    /// <summary>The conversation to continue, read untracked (its changes are written by <see cref="CompletionWrites"/>); or a new one, not stored yet.</summary>
    private async Task<(Conversation Conversation, bool IsNew)> LoadOrStartConversationAsync(CreateCompletionCommand request, Agent agent, CancellationToken cancellationToken)
    {
        if (request.ConversationId is null)
        {
            return (Conversation.Start(caller.WorkspaceId, caller.PrincipalId, agent.Id, null, clock.GetUtcNow()), true);
        }

        var conversation = await db.Conversations
            .AsNoTracking()
            .Include(c => c.Messages)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == request.ConversationId, cancellationToken);
        if (conversation is null || !conversation.CanBeContinuedBy(caller.WorkspaceId, caller.PrincipalId))
        {
            throw ConversationAccess.NotFound(request.ConversationId);
        }

        if (conversation.AgentId != agent.Id)
        {
            throw new BadRequestException($"Conversation '{conversation.Id}' belongs to the agent '{conversation.AgentId}', not '{agent.Id}'.", "conversation_id");
        }

        return (conversation, false);
    }

    private async Task<PromptContext> GetContextAsync(Agent agent, CreateCompletionCommand request, PromptParts parts, int maxTokens, int contextWindow, PromptBuilder builder, CancellationToken cancellationToken)
    {
        var requestFiles = request.Files ?? [];
        if (requestFiles.Count == 0 && agent.FileIds.Count == 0)
        {
            return PromptContext.Empty;
        }

        // The question to rank chunks against: the last user text (a tool result continues the one before it).
        var query = (parts.RequestMessages.LastOrDefault(m => m.Role == ChatRole.User) ?? parts.History.LastOrDefault(m => m.Role == ChatRole.User))?.Text ?? string.Empty;
        var budget = builder.ContextBudget(parts, maxTokens, contextWindow);
        return await contextProvider.GetContextAsync(new PromptContextRequest(agent.FileIds, requestFiles, query, budget), cancellationToken);
    }
}

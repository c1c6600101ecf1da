using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.Common;
using Devana.Application.Conversations.Common;
using Devana.Application.Llm;
using Devana.Application.Quotas.Common;
using Devana.Domain.Agents;
using Devana.Application.Agents;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Resolves the agent, the LLM and the conversation, assembles the prompt, reserves the request on the
/// quota counters (a refused request stores nothing), stores the user turn before the LLM is called,
/// then either answers whole or hands back a stream that stores the answer when it ends (CONTRACT.md §2).
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
    ISettingsCache settings,
    DevanaMetrics metrics,
    TimeProvider clock)
    : IRequestHandler<CreateCompletionCommand, CompletionOutcome>
{
    public const double DefaultTemperature = 0.8;

    public async Task<CompletionOutcome> Handle(CreateCompletionCommand request, CancellationToken cancellationToken)
    {
        var agent = await db.GetUsableAgentAsync(settings, caller.ToActor(), request.Model!, cancellationToken);
        var llm = ResolveLlm(request.ClientModel, agent);
        log.Set("Agent", agent.Id);
        log.Set("Llm", llm.Id);

        var maxTokens = request.MaxTokens ?? agent.MaxTokens ?? llm.MaxOutputTokens;
        if (maxTokens > llm.MaxOutputTokens)
        {
            throw new BadRequestException($"max_tokens is {maxTokens}, but {llm.Id} writes at most {llm.MaxOutputTokens} tokens.", "max_tokens");
        }

        var conversation = await LoadOrStartConversationAsync(request, agent, cancellationToken);
        var requestMessages = request.Messages!.Select(m => (Role: RoleOf(m.Role!), Content: m.Content!)).ToList();
        var history = conversation.History().Select(m => (RoleOf(m.Role), m.Content)).ToList();
        var lang = request.Lang?.ToLowerInvariant() ?? agent.Lang?.Value;
        var parts = new PromptParts(agent.Instructions, lang, null, history, requestMessages);

        var builder = new PromptBuilder(tokens);
        var context = await GetContextAsync(agent, request, parts, maxTokens, llm.ContextWindow, builder, cancellationToken);
        var prompt = builder.Build(parts with { Context = context.Text }, maxTokens, llm.ContextWindow);

        var choices = request.N ?? 1;
        var options = new ChatOptions
        {
            Temperature = (float)(request.Temperature ?? agent.Temperature ?? DefaultTemperature),
            TopP = (float?)(request.TopP ?? agent.TopP),
            MaxOutputTokens = maxTokens,
            StopSequences = request.Stop?.ToList(),
            ResponseFormat = request.ResponseFormat == "json_object" ? ChatResponseFormat.Json : null,
        };
        var client = clients.GetClient(llm);
        var policy = await quotas.PolicyForAsync(caller.ToActor(), agent.Id, cancellationToken);
        var tokensToReserve = QuotaPolicy.TokensToReserve(prompt.PromptTokens, maxTokens, choices);

        var now = clock.GetUtcNow();
        if (request.Metadata is not null)
        {
            conversation.SetMetadata(request.Metadata, now);
        }

        var turns = requestMessages
            .Where(m => m.Role != ChatRole.System)
            .Select(m => (m.Role == ChatRole.User ? MessageRole.User : MessageRole.Assistant, m.Content))
            .ToList();
        var userTurn = conversation.AddTurns(turns, llm.Id, request.Files ?? [], now);

        // The reservation and the user turn are written in one transaction: a refused request (403) stores
        // nothing, and a user turn that cannot be stored counts nothing. The user turn is stored before the
        // LLM is called; it stays pending until the answer is stored. (The transaction may run again on a
        // transient SQL Server failure, so it only reserves and saves.)
        var reservation = await db.InTransactionAsync(async token =>
        {
            var reserved = await quotas.ReserveAsync(policy, tokensToReserve, token);
            await db.SaveChangesAsync(token);
            return reserved;
        }, cancellationToken);

        var call = new CompletionCall(conversation, userTurn, agent.Id, llm, client, prompt, options, choices, context.Sources, reservation);
        var runner = new CompletionRunner(db, tokens, log, quotas, metrics, clock);
        var outcome = request.Stream
            ? CompletionOutcome.Streamed(runner.StreamAsync(call, request.IncludeUsage, CancellationToken.None))
            : CompletionOutcome.Whole(await runner.CompleteAsync(call, cancellationToken));
        return outcome with { RateLimits = reservation.RateLimits };
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

    private async Task<Conversation> LoadOrStartConversationAsync(CreateCompletionCommand request, Agent agent, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ConversationId))
        {
            var started = Conversation.Start(caller.WorkspaceId, caller.PrincipalId, agent.Id, null, clock.GetUtcNow());
            db.Conversations.Add(started);
            return started;
        }

        var conversation = await db.Conversations
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

        return conversation;
    }

    private async Task<PromptContext> GetContextAsync(Agent agent, CreateCompletionCommand request, PromptParts parts, int maxTokens, int contextWindow, PromptBuilder builder, CancellationToken cancellationToken)
    {
        var requestFiles = request.Files ?? [];
        if (requestFiles.Count == 0 && agent.FileIds.Count == 0)
        {
            return PromptContext.Empty;
        }

        var query = parts.RequestMessages.Last(m => m.Role == ChatRole.User).Content;
        var budget = builder.ContextBudget(parts, maxTokens, contextWindow);
        return await contextProvider.GetContextAsync(new PromptContextRequest(agent.FileIds, requestFiles, query, budget), cancellationToken);
    }

    private static ChatRole RoleOf(string role) => role switch
    {
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        _ => ChatRole.System,
    };

    private static ChatRole RoleOf(MessageRole role) => role switch
    {
        MessageRole.User => ChatRole.User,
        MessageRole.Assistant => ChatRole.Assistant,
        _ => ChatRole.System,
    };
}

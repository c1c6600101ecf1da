using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Devana.Application.Common.Exceptions;
using Devana.Application.Common.Interfaces;
using Devana.Application.Common.Telemetry;
using Devana.Application.Completions.Common;
using Devana.Application.Conversations.Common;
using Devana.Application.Llm.Common;
using Devana.Domain.Common;
using Devana.Domain.Conversations;
using Devana.Domain.Usage;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// Calls the LLM for a prepared <see cref="CompletionCall"/> — n calls in parallel for n choices — and
/// stores the outcome: the answers, or the user turn marked failed (no phantom answer), or, when the
/// caller goes away mid-stream, the partial answers with <c>finish_reason: "cancelled"</c>. Every
/// outcome writes one usage-ledger row and settles the quota reservation with the same token figures:
/// what the answers used; for a failure, what the choices that produced output used (nothing when none did).
/// Each choice is asked through its own <see cref="LlmFallbackChatClient"/>: the LLM that answered is the one
/// its stored answer, the response's <c>client_model</c> and the ledger row name (choice 0's for the ledger row).
/// </summary>
internal sealed class CompletionRunner(ITokenCounter tokens, IRequestLogContext log, CompletionWrites writes, DevanaMetrics metrics, TimeProvider clock)
{
    public const string Cancelled = "cancelled";

    /// <summary>Whatever finish reason the provider gives (Ollama says <c>stop</c>), an answer that called tools ends with <c>tool_calls</c>.</summary>
    public const string ToolCallsFinish = "tool_calls";

    public async Task<ChatCompletionDto> CompleteAsync(CompletionCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ChatResponse[] responses;
        Task<ChatResponse>[] calls = [];
        var clients = Enumerable.Range(0, call.Choices).Select(_ => call.NewClient()).ToArray();
        try
        {
            calls = clients
                .Select(client => call.ClientFor(client).GetResponseAsync(call.Prompt.Messages, call.Options.Clone(), cancellationToken))
                .ToArray();
            responses = await Task.WhenAll(calls);
        }
        catch (Exception exception)
        {
            // Choices that did come back were really produced, and count; the others used nothing.
            var used = calls
                .Where(task => task.IsCompletedSuccessfully)
                .Select(task => UsageOf(call, task.Result.Usage, task.Result.Text))
                .Aggregate(TokenUsage.None, (sum, usage) => sum + usage);
            var outcome = exception is OperationCanceledException && cancellationToken.IsCancellationRequested ? UsageOutcome.Cancelled : UsageOutcome.Failed;
            var tried = LogAttempts(clients);
            await FailAsync(call, tried, exception, used, outcome, started);
            metrics.CompletionEnded(call.AgentId, tried.Id, call.Conversation.OwnerId, false, outcome, used);
            throw;
        }

        var llm = LogAttempts(clients);
        var split = responses.Select(response => ToolSteps.Split(response.Messages)).ToArray();
        var choices = responses.Select((response, index) => ChoiceOf(call, index, response, split[index].Answer) with { ClientModel = clients[index].Llm.Id }).ToList();
        metrics.FirstToken(call.AgentId, llm.Id, false, Stopwatch.GetElapsedTime(started));
        var answers = await RecordAsync(call, llm, choices, started, UsageOutcome.Completed, split[0].Steps);
        metrics.CompletionEnded(call.AgentId, llm.Id, call.Conversation.OwnerId, false, UsageOutcome.Completed, Total(choices));
        var usage = Sum(choices);
        return new ChatCompletionDto(
            answers[0].Id,
            answers[0].CreatedAt.ToUnixTimeSeconds(),
            call.AgentId,
            call.Conversation.Id,
            choices.Select(c => new ChatChoiceDto(c.Index, MessageOf(c), c.FinishReason) { Logprobs = LogprobsDto.From(LogprobsOf(responses[c.Index].AdditionalProperties)) }).ToList(),
            usage,
            llm.Id)
        {
            Debug = DebugOf(call),
            Devana = ToolConfirmations.DevanaOf(choices[0], call.Tools),
        };
    }

    public async IAsyncEnumerable<ChatCompletionChunkDto> StreamAsync(CompletionCall call, bool includeUsage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = Enumerable.Range(0, call.Choices).Select(_ => PrefixedId.New(IdPrefixes.Message)).ToArray();
        var id = ids[0];
        var created = clock.GetUtcNow().ToUnixTimeSeconds();
        var texts = Enumerable.Range(0, call.Choices).Select(_ => new StringBuilder()).ToArray();
        var toolCalls = Enumerable.Range(0, call.Choices).Select(_ => new List<ToolCall>()).ToArray();
        var finished = new AnswerChoice?[call.Choices];
        var steps = new IReadOnlyList<ConversationTurn>?[call.Choices];
        var finishedCount = 0;
        Exception? failure = null;
        using var open = metrics.StreamOpened(call.AgentId, call.Llm.Id);
        var firstToken = true;
        using var upstream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, call.Choices).Select(_ => call.NewClient()).ToArray();

        // One choice is read straight from its LLM; n choices are merged from n producers through a channel.
        Task producers = Task.CompletedTask;
        IAsyncEnumerable<StreamEvent> events;
        if (call.Choices == 1)
        {
            events = OneChoiceAsync(call, clients[0], upstream.Token);
        }
        else
        {
            var channel = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true });
            producers = Task.WhenAll(Enumerable.Range(0, call.Choices).Select(index => ProduceAsync(call, clients[index], index, channel.Writer, upstream.Token)));
            _ = producers.ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
            events = channel.Reader.ReadAllAsync(CancellationToken.None);
        }

        // The role chunks go before any LLM is asked; every later chunk names the LLM that is answering.
        ChatCompletionChunkDto Chunk(int index, ChunkDeltaDto delta, string? finishReason, UsageDto? usage = null, bool answering = true) =>
            new(id, created, call.AgentId, call.Conversation.Id, [new ChunkChoiceDto(index, delta, finishReason)], usage) { ClientModel = answering ? clients[index].Llm.Id : null };

        try
        {
            for (var index = 0; index < call.Choices; index++)
            {
                yield return Chunk(index, new ChunkDeltaDto("assistant", string.Empty), null, answering: false);
            }

            await foreach (var item in events)
            {
                if (item.Error is not null)
                {
                    failure ??= item.Error;
                    await upstream.CancelAsync();
                    break;
                }

                if (item.Text is not null)
                {
                    if (firstToken)
                    {
                        firstToken = false;
                        metrics.FirstToken(call.AgentId, clients[item.Index].Llm.Id, true, Stopwatch.GetElapsedTime(started));
                    }

                    texts[item.Index].Append(item.Text);
                    call.Quota.Hold?.AddCompletionTokens(tokens.CountTokens(item.Text));
                    var textChunk = Chunk(item.Index, new ChunkDeltaDto(null, item.Text), null);
                    yield return item.Logprobs is null ? textChunk : textChunk with { Choices = [textChunk.Choices[0] with { Logprobs = LogprobsDto.From(item.Logprobs) }] };
                    continue;
                }

                if (item.Progress is { } progress)
                {
                    if (progress.Status != ToolCallProgressDto.Running)
                    {
                        // What the LLM wrote before the tools ran is stored with its calls; the answer comes after.
                        texts[item.Index].Clear();
                    }

                    yield return Chunk(item.Index, ChunkDeltaDto.Empty, null) with { Devana = new DevanaChunkDto(progress) };
                    continue;
                }

                if (item.ToolCall is { } toolCall)
                {
                    // OpenAI's shape: the call's id, type and name first, then its arguments.
                    var position = toolCalls[item.Index].Count;
                    toolCalls[item.Index].Add(toolCall);
                    yield return Chunk(item.Index, new ChunkDeltaDto(null, null) { ToolCalls = [new ToolCallDeltaDto(position, toolCall.Id, "function", new FunctionDeltaDto(toolCall.Name, string.Empty))] }, null);
                    yield return Chunk(item.Index, new ChunkDeltaDto(null, null) { ToolCalls = [new ToolCallDeltaDto(position, null, null, new FunctionDeltaDto(null, toolCall.Arguments))] }, null);
                    continue;
                }

                var text = texts[item.Index].ToString();
                var calls = toolCalls[item.Index];
                var choice = new AnswerChoice(
                    item.Index,
                    text,
                    calls.Count > 0 ? ToolCallsFinish : FinishReasonOf(item.FinishReason),
                    UsageOf(call, item.Usage, text, calls),
                    ids[item.Index],
                    calls.Count > 0 ? calls.ToList() : null,
                    clients[item.Index].Llm.Id);
                choice = ToolConfirmations.StopIfPending(choice, item.Pending);
                finished[item.Index] = choice;
                steps[item.Index] = item.Steps;
                finishedCount++;
                var isLast = finishedCount == call.Choices;
                yield return Chunk(item.Index, ChunkDeltaDto.Empty, choice.FinishReason, isLast ? Sum(finished!) : null) with { Devana = ToolConfirmations.DevanaChunkOf(choice, call.Tools) };
            }
        }
        finally
        {
            await upstream.CancelAsync();
            await producers;
            var llm = LogAttempts(clients);
            if (failure is null && finishedCount == call.Choices)
            {
                await RecordAsync(call, llm, finished!, started, UsageOutcome.Completed, steps[0]);
                metrics.CompletionEnded(call.AgentId, llm.Id, call.Conversation.OwnerId, true, UsageOutcome.Completed, Total(finished!));
            }
            else if (failure is null || cancellationToken.IsCancellationRequested)
            {
                // The caller went away: keep what was produced, marked cancelled; its tokens count.
                var partial = Enumerable.Range(0, call.Choices)
                    .Select(i => finished[i] ?? new AnswerChoice(i, texts[i].ToString(), Cancelled, UsageOf(call, null, texts[i].ToString()), ids[i], ClientModel: clients[i].Llm.Id))
                    .ToList();
                await RecordAsync(call, llm, partial, started, UsageOutcome.Cancelled);
                metrics.CompletionEnded(call.AgentId, llm.Id, call.Conversation.OwnerId, true, UsageOutcome.Cancelled, Total(partial));
            }
            else
            {
                // Choices that wrote something count what they wrote (and read); the others used nothing.
                var used = Enumerable.Range(0, call.Choices)
                    .Select(i => finished[i]?.Usage ?? (texts[i].Length > 0 ? UsageOf(call, null, texts[i].ToString()) : TokenUsage.None))
                    .Aggregate(TokenUsage.None, (sum, usage) => sum + usage);
                await FailAsync(call, llm, failure, used, UsageOutcome.Failed, started);
                metrics.CompletionEnded(call.AgentId, llm.Id, call.Conversation.OwnerId, true, UsageOutcome.Failed, used);
            }
        }

        if (failure is not null && !cancellationToken.IsCancellationRequested)
        {
            throw failure;
        }

        if (includeUsage)
        {
            yield return new ChatCompletionChunkDto(id, created, call.AgentId, call.Conversation.Id, [], Sum(finished!)) { Debug = DebugOf(call), ClientModel = clients[0].Llm.Id };
        }
    }

    /// <summary>The events of the only choice, read as they come; a failure ends them with an error event.</summary>
    private static async IAsyncEnumerable<StreamEvent> OneChoiceAsync(CompletionCall call, LlmFallbackChatClient client, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = EventsAsync(call, client, 0, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            StreamEvent? next;
            try
            {
                next = await events.MoveNextAsync() ? events.Current : null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled by the caller; the reader decides what to store.
                yield break;
            }
            catch (Exception exception)
            {
                next = new StreamEvent(0, null, null, null, exception);
            }

            if (next is null)
            {
                yield break;
            }

            yield return next;
            if (next.Error is not null)
            {
                yield break;
            }
        }
    }

    /// <summary>One of n choices: its events go to the channel the reader merges them from.</summary>
    private static async Task ProduceAsync(CompletionCall call, LlmFallbackChatClient client, int index, ChannelWriter<StreamEvent> writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var item in EventsAsync(call, client, index, cancellationToken))
            {
                await writer.WriteAsync(item, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller or by a sibling's failure; the reader decides what to store.
        }
        catch (Exception exception)
        {
            await writer.WriteAsync(new StreamEvent(index, null, null, null, exception), CancellationToken.None);
        }
    }

    /// <summary>A choice's stream as events: text deltas, the caller's tool calls, progress of the agent's tools, then its end (finish reason, usage, tool steps).</summary>
    private static async IAsyncEnumerable<StreamEvent> EventsAsync(CompletionCall call, LlmFallbackChatClient client, int index, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChatFinishReason? finishReason = null;
        UsageDetails? usage = null;
        var tools = call.Tools;
        var updates = tools is null ? null : new List<ChatResponseUpdate>();
        var running = new Dictionary<string, ToolCall>(StringComparer.Ordinal);
        await foreach (var update in call.ClientFor(client).GetStreamingResponseAsync(call.Prompt.Messages, call.Options.Clone(), cancellationToken))
        {
            updates?.Add(update);
            finishReason = update.FinishReason ?? finishReason;
            foreach (var content in update.Contents)
            {
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    yield return new StreamEvent(index, text.Text, null, null, null) { Logprobs = LogprobsOf(update.AdditionalProperties) };
                }
                else if (content is FunctionCallContent agentCall && tools is not null && tools.IsAgentTool(agentCall.Name))
                {
                    // Devana runs it next: the caller is told, and is not asked to answer it.
                    var started = ConversationMessages.ToToolCall(agentCall);
                    running[started.Id] = started;
                    yield return new StreamEvent(index, null, null, null, null) { Progress = new ToolCallProgressDto(started.Id, started.Name, started.Arguments, ToolCallProgressDto.Running) };
                }
                else if (content is FunctionCallContent functionCall)
                {
                    yield return new StreamEvent(index, null, null, null, null, ConversationMessages.ToToolCall(functionCall));
                }
                else if (content is FunctionResultContent result && tools is not null && running.TryGetValue(result.CallId, out var ran))
                {
                    var run = tools.Runs.Find(result.CallId);
                    var status = run is { Succeeded: true } ? ToolCallProgressDto.Completed : ToolCallProgressDto.Failed;
                    var progress = new ToolCallProgressDto(ran.Id, ran.Name, ran.Arguments, status) { DurationMs = run is null ? null : (long)run.Duration.TotalMilliseconds };
                    yield return new StreamEvent(index, null, null, null, null) { Progress = progress };
                }
                else if (content is UsageContent usageContent)
                {
                    // A tool loop reports each round's usage: the completion's is their sum.
                    usage ??= new UsageDetails();
                    usage.Add(usageContent.Details);
                }
            }
        }

        var (steps, answer) = updates is null ? ([], []) : ToolSteps.Split(updates.ToChatResponse().Messages);
        yield return new StreamEvent(index, null, finishReason, usage, null) { Steps = steps, Pending = ToolConfirmations.PendingCalls(answer) };
    }

    /// <summary>
    /// The request's log line gets every LLM attempt and the LLM that answered (or failed last), choice 0's when
    /// there are several; that LLM is returned.
    /// </summary>
    private LlmModel LogAttempts(IReadOnlyList<LlmFallbackChatClient> clients)
    {
        var attempts = clients.Count == 1
            ? clients[0].Attempts.ToList()
            : clients.SelectMany((client, index) => client.Attempts.Select(attempt => $"choice {index}: {attempt}")).ToList();
        log.Set("Llm", clients[0].Llm.Id);
        log.Set("LlmAttempts", attempts);
        return clients[0].Llm;
    }

    private async Task<IReadOnlyList<Message>> RecordAsync(CompletionCall call, LlmModel llm, IReadOnlyList<AnswerChoice> choices, long started, UsageOutcome outcome, IReadOnlyList<ConversationTurn>? toolSteps = null)
    {
        var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = clock.GetUtcNow();
        var changes = ConversationChanges.Before(call.Conversation, isNew: false);
        var answers = call.Conversation.RecordAnswers(call.UserTurn, choices, llm.Id, latency, now, toolSteps);
        var usage = choices.Aggregate(TokenUsage.None, (sum, choice) => sum + choice.Usage);
        log.Set("PromptTokens", usage.PromptTokens);
        log.Set("CompletionTokens", usage.CompletionTokens);

        // Stored even when the caller has gone: the answer and its tokens are real.
        await SaveAndSettleAsync(call, changes, llm, usage, latency, outcome, now);
        return answers;
    }

    private async Task FailAsync(CompletionCall call, LlmModel llm, Exception exception, TokenUsage used, UsageOutcome outcome, long started)
    {
        var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = clock.GetUtcNow();
        var reason = exception switch
        {
            UpstreamException upstream => upstream.Message,
            OperationCanceledException => "The request was cancelled before the LLM answered.",
            _ => "The LLM call failed.",
        };
        var changes = ConversationChanges.Before(call.Conversation, isNew: false);
        call.Conversation.FailTurn(call.UserTurn, reason, now);
        await SaveAndSettleAsync(call, changes, llm, used, latency, outcome, now);
    }

    /// <summary>The ledger row goes in with the answer, and the counters are settled with the same tokens, in one transaction.</summary>
    private Task SaveAndSettleAsync(CompletionCall call, ConversationChanges changes, LlmModel llm, TokenUsage used, long latencyMs, UsageOutcome outcome, DateTimeOffset now)
    {
        var record = UsageRecord.Record(
            call.Conversation.WorkspaceId,
            call.Conversation.OwnerId,
            call.AgentId,
            llm.Id,
            call.Conversation.Id,
            used.PromptTokens,
            used.CompletionTokens,
            latencyMs,
            outcome,
            now,
            call.EndUser);
        return writes.RecordAsync(call.Quota, used.TotalTokens, async (unit, token) =>
        {
            await changes.ApplyAsync(unit, token);
            await unit.Db.Rows.InsertAsync(record, token);
        });
    }

    /// <summary>The LLM's own counts when it reports them, else the tokenizer's (tool calls' names and arguments included).</summary>
    private TokenUsage UsageOf(CompletionCall call, UsageDetails? reported, string text, IReadOnlyList<ToolCall>? toolCalls = null) => new(
        (int?)reported?.InputTokenCount ?? call.Prompt.PromptTokens,
        (int?)reported?.OutputTokenCount ?? tokens.CountTokens(text) + (toolCalls?.Sum(c => tokens.CountTokens(c.Name) + tokens.CountTokens(c.Arguments)) ?? 0));

    /// <summary>One choice of a whole answer: its text, and the caller's functions it asked to call.</summary>
    /// <remarks>With agent tools, <paramref name="answer"/> is what the LLM wrote after the last tool result; the usage is every round's.</remarks>
    private AnswerChoice ChoiceOf(CompletionCall call, int index, ChatResponse response, IReadOnlyList<ChatMessage> answer)
    {
        var text = string.Concat(answer.Select(m => m.Text));
        var calls = answer.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(ConversationMessages.ToToolCall).ToList();
        var choice = new AnswerChoice(
            index,
            text,
            calls.Count > 0 ? ToolCallsFinish : FinishReasonOf(response.FinishReason),
            UsageOf(call, response.Usage, text, calls),
            ToolCalls: calls.Count > 0 ? calls : null);
        return ToolConfirmations.StopIfPending(choice, ToolConfirmations.PendingCalls(answer));
    }

    /// <remarks>The calls an answer stopped for are Devana's to run (<c>devana.pending_tool_calls</c>), not the caller's <c>tool_calls</c>.</remarks>
    private static ChatMessageDto MessageOf(AnswerChoice choice) => choice.ToolCalls is { Count: > 0 } calls && choice.FinishReason != ToolConfirmations.FinishReason
        ? new ChatMessageDto("assistant", choice.Content.Length == 0 ? null : choice.Content) { ToolCalls = calls.Select(ToolCallDto.From).ToList() }
        : new ChatMessageDto("assistant", choice.Content);

    private static TokenUsage Total(IEnumerable<AnswerChoice> choices) => choices.Aggregate(TokenUsage.None, (sum, choice) => sum + choice.Usage);

    private static UsageDto Sum(IEnumerable<AnswerChoice> choices)
    {
        var total = choices.Aggregate(TokenUsage.None, (sum, choice) => sum + choice.Usage);
        return new UsageDto(total.PromptTokens, total.CompletionTokens, total.TotalTokens);
    }

    private static CompletionDebugDto? DebugOf(CompletionCall call) =>
        call.Sources.Count == 0 ? null : new CompletionDebugDto(call.Sources.Select(s => new SourceDto(s.FileId, s.Filename, s.Excerpt)).ToList());

    private static string FinishReasonOf(ChatFinishReason? reason)
    {
        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return "content_filter";
        }

        return reason == ChatFinishReason.ToolCalls ? "tool_calls" : "stop";
    }

    /// <summary>One event from a choice's producer: a text delta, its end (finish reason, usage) or its failure.</summary>
    private sealed record StreamEvent(int Index, string? Text, ChatFinishReason? FinishReason, UsageDetails? Usage, Exception? Error, ToolCall? ToolCall = null)
    {
        public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

        /// <summary>A tool Devana runs for the agent started or ended.</summary>
        public ToolCallProgressDto? Progress { get; init; }

        /// <summary>On the end event of a tool loop: the steps to store before the answer.</summary>
        public IReadOnlyList<ConversationTurn>? Steps { get; init; }

        /// <summary>On the end event of a tool loop that stopped for a confirmation: the calls it waits for.</summary>
        public IReadOnlyList<ToolCall>? Pending { get; init; }
    }

    private static IReadOnlyList<TokenLogprob>? LogprobsOf(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(TokenLogprob.Key, out var value) ? value as IReadOnlyList<TokenLogprob> : null;
}

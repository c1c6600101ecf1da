using System.Text.Json;
using Devana.Domain.Agents;
using Microsoft.Extensions.AI;

namespace Devana.Application.Tools;

/// <summary>
/// An agent's HTTP tool as a Microsoft.Extensions.AI function, run by the
/// <see cref="FunctionInvokingChatClient"/> when the LLM calls it. Its result is the text the tool answered
/// (or the error the invoker reports); it throws only when the completion is cancelled.
/// </summary>
internal sealed class AgentToolFunction(AgentTool tool, AgentToolCallContext context, IAgentToolInvoker invoker, ToolRunLog log, TimeProvider clock) : AIFunction
{
    private static readonly JsonSerializerOptions s_compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
    private readonly JsonElement _schema = JsonSerializer.Deserialize<JsonElement>(tool.Parameters);

    public override string Name => tool.Name;

    public override string Description => tool.Description;

    public override JsonElement JsonSchema => _schema;

    public AgentTool Tool => tool;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var json = JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), s_compact);
        var result = await invoker.InvokeAsync(new AgentToolInvocation(tool, json, context.AgentId, context.ConversationId, context.PrincipalId), cancellationToken);
        if (FunctionInvokingChatClient.CurrentContext?.CallContent.CallId is { } callId)
        {
            log.Record(callId, new ToolRun(result.Succeeded, clock.GetElapsedTime(started)));
        }

        return result.Output;
    }
}

/// <summary>Who a tool call is made for: the <c>x-devana-*</c> headers.</summary>
public sealed record AgentToolCallContext(string AgentId, string ConversationId, string PrincipalId);

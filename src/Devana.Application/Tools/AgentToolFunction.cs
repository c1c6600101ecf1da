using System.Text.Json;
using Devana.Domain.Agents;
using Microsoft.Extensions.AI;

namespace Devana.Application.Tools;

/// <summary>
/// A tool Devana runs for the agent — an HTTP tool or an MCP server's tool — as a Microsoft.Extensions.AI
/// function, run by the <see cref="FunctionInvokingChatClient"/> when the LLM calls it. Its result is the
/// text the tool answered (or the error its runner reports); it throws only when the completion is cancelled.
/// </summary>
internal sealed class AgentToolFunction(string name, string description, JsonElement schema, Func<string, CancellationToken, Task<AgentToolResult>> call, ToolRunLog log, TimeProvider clock) : AIFunction
{
    private static readonly JsonSerializerOptions s_compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    public override string Name => name;

    public override string Description => description;

    public override JsonElement JsonSchema => schema;

    public static AgentToolFunction ForHttp(AgentTool tool, AgentToolCallContext context, IAgentToolInvoker invoker, ToolRunLog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new AgentToolFunction(
            tool.Name,
            tool.Description,
            JsonSerializer.Deserialize<JsonElement>(tool.Parameters),
            (arguments, token) => invoker.InvokeAsync(new AgentToolInvocation(tool, arguments, context.AgentId, context.ConversationId, context.PrincipalId), token),
            log,
            clock);
    }

    public static AgentToolFunction ForMcp(McpToolHandle tool, ToolRunLog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new AgentToolFunction(tool.Name, tool.Description, tool.Schema, tool.CallAsync, log, clock);
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var json = JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), s_compact);
        var result = await call(json, cancellationToken);
        if (FunctionInvokingChatClient.CurrentContext?.CallContent.CallId is { } callId)
        {
            log.Record(callId, new ToolRun(result.Succeeded, clock.GetElapsedTime(started)));
        }

        return result.Output;
    }
}

/// <summary>Who a tool call is made for: the <c>x-devana-*</c> headers.</summary>
public sealed record AgentToolCallContext(string AgentId, string ConversationId, string PrincipalId);

using Devana.Domain.Agents;

namespace Devana.Application.Tools;

/// <summary>
/// Runs one call of an agent's HTTP tool (docs/tools.md): checks the host again, adds the caller headers
/// and the tool's own (decrypted only for the call), bounds it by the tool's timeout and the response size
/// cap, and caps the output in tokens. It never throws for a failing tool: the failure is the result, which
/// the LLM reads and can recover from.
/// </summary>
public interface IAgentToolInvoker
{
    Task<AgentToolResult> InvokeAsync(AgentToolInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One call of <paramref name="Tool"/> for the agent <paramref name="AgentId"/> in the conversation <paramref name="ConversationId"/>.</summary>
/// <param name="Tool">The tool, its header values still protected.</param>
/// <param name="AgentId">The agent the call is made for.</param>
/// <param name="ConversationId">The conversation it is made in.</param>
/// <param name="ArgumentsJson">The arguments the LLM wrote, as the JSON text of an object.</param>
/// <param name="PrincipalId">Who asks: the conversation's owner (<c>usr_…</c> or <c>cli_…</c>).</param>
public sealed record AgentToolInvocation(AgentTool Tool, string ArgumentsJson, string AgentId, string ConversationId, string PrincipalId);

/// <summary>What the LLM is given back: the tool's answer, or (<see cref="Succeeded"/> false) a JSON error object saying what went wrong.</summary>
public sealed record AgentToolResult(bool Succeeded, string Output);

using Devana.Application.Common.Exceptions;
using Devana.Application.Llm.Common;
using Devana.Application.Tools;
using Devana.Domain.Agents;
using Devana.Domain.Conversations;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// The agent's tools in one completion (docs/tools.md): offered to the LLM beside the caller's own
/// functions, and run by Microsoft.Extensions.AI's <see cref="FunctionInvokingChatClient"/>, which loops
/// LLM → tool calls (in parallel when the LLM asks for several) → results → LLM, for at most
/// <see cref="Rounds"/> rounds; the LLM is then asked once more, without tools, for its answer. A call of
/// one of the caller's functions ends the loop and goes back to the caller as <c>tool_calls</c>.
/// </summary>
internal sealed class AgentTools
{
    private readonly HashSet<string> _names;

    private readonly HashSet<string> _confirmed;

    private AgentTools(IReadOnlyList<AgentToolFunction> functions, IEnumerable<string> confirmed, int rounds, ToolRunLog runs)
    {
        Functions = functions;
        Rounds = rounds;
        Runs = runs;
        _names = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        _confirmed = confirmed.ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<AgentToolFunction> Functions { get; }

    /// <summary>The agent's <c>max_tool_rounds</c>.</summary>
    public int Rounds { get; }

    /// <summary>The LLM calls one completion may make: one per round, and the answer after the last.</summary>
    public int MaxLlmCalls => Rounds + 1;

    public ToolRunLog Runs { get; }

    public bool IsAgentTool(string name) => _names.Contains(name);

    /// <summary>Whether a call of the tool <paramref name="name"/> waits for the caller's confirmation (docs/tools.md#confirmation).</summary>
    public bool RequiresConfirmation(string name) => _confirmed.Contains(name);

    /// <summary>
    /// The agent's tools (its HTTP tools, then its MCP servers' tools) added to <paramref name="options"/>, or
    /// null when it has none.
    /// </summary>
    /// <exception cref="BadRequestException">The LLM does not take tools, more than one choice was asked for, or two tools have one name.</exception>
    /// <exception cref="UpstreamException">An MCP server of the agent cannot be reached.</exception>
    public static async Task<AgentTools?> PrepareAsync(
        CreateCompletionCommand request, Agent agent, LlmModel llm, Conversation conversation, string principalId, ChatOptions options,
        IAgentToolInvoker invoker, IMcpToolSource mcp, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (agent.Tools.Count == 0 && agent.McpServers.Count == 0)
        {
            return null;
        }

        if (!llm.Supports(LlmCapabilities.Tools))
        {
            throw new BadRequestException(
                $"The agent '{agent.Id}' has tools, but the LLM '{llm.Id}' does not take tools: its catalog entry's capabilities do not include '{LlmCapabilities.Tools}'. " +
                "Pick an LLM that has it with clientModel (GET /v1/llms lists each LLM's capabilities).",
                "model",
                ErrorCodes.UnsupportedCapability);
        }

        if (request.N is > 1)
        {
            throw new BadRequestException($"The agent '{agent.Id}' runs tools, which answers one choice only: n must be 1.", "n");
        }

        var context = new AgentToolCallContext(agent.Id, conversation.Id, principalId);
        var runs = new ToolRunLog();
        var functions = agent.Tools.Select(tool => AgentToolFunction.ForHttp(tool, context, invoker, runs, clock)).ToList();
        for (var i = 0; i < agent.McpServers.Count; i++)
        {
            var server = agent.McpServers[i];
            foreach (var tool in await mcp.GetToolsAsync(server, cancellationToken))
            {
                if (functions.Any(f => f.Name == tool.Name))
                {
                    throw new BadRequestException(
                        $"The MCP server '{server.Name}' of the agent '{agent.Id}' offers a tool named '{tool.Name}', like another tool of the agent; " +
                        "the agent's owner can leave one out with allowed_tools.",
                        $"mcp_servers[{i}].allowed_tools");
                }

                functions.Add(AgentToolFunction.ForMcp(tool, runs, clock));
            }
        }

        var clientTools = request.Tools ?? [];
        for (var i = 0; i < clientTools.Count; i++)
        {
            if (functions.Any(t => t.Name == clientTools[i].Name))
            {
                throw new BadRequestException(
                    $"tools[{i}] is named '{clientTools[i].Name}', like a tool of the agent '{agent.Id}'; give your function another name.",
                    $"tools[{i}].function.name");
            }
        }

        if (options.Tools is { Count: > 0 })
        {
            // One call per LLM turn when the caller's functions are offered too: a turn that called both kinds
            // could be neither run by Devana nor handed back whole to the caller.
            options.AllowMultipleToolCalls = false;
        }

        // A tool that requires confirmation is offered as Microsoft.Extensions.AI's ApprovalRequiredAIFunction: when
        // the LLM calls it, the FunctionInvokingChatClient does not run the round's calls but ends the loop with a
        // ToolApprovalRequestContent for each, and runs them once the approvals come back (ToolConfirmations).
        var confirmed = agent.Tools.Where(t => t.RequiresConfirmation).Select(t => t.Name).ToList();
        options.Tools = [.. functions.Select(f => confirmed.Contains(f.Name) ? ToolConfirmations.RequireApproval(f) : f), .. options.Tools ?? []];
        return new AgentTools(functions, confirmed, agent.MaxToolRounds ?? Agent.DefaultMaxToolRounds, runs);
    }

    public IChatClient Wrap(IChatClient client) => new FunctionInvokingChatClient(client)
    {
        MaximumIterationsPerRequest = Rounds,
        AllowConcurrentInvocation = true,
        // A failing tool is a result the LLM reads (the function does not throw); anything else ends the loop.
        MaximumConsecutiveErrorsPerRequest = 0,
    };
}

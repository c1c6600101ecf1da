using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Devana.Application.Completions.CreateCompletion;

/// <summary>
/// One of the caller's functions (<c>tools[]</c>), declared to the LLM and never run by Devana: a call
/// comes back to the caller as <c>tool_calls</c>. <c>strict</c> travels in <see cref="AdditionalProperties"/>,
/// where the OpenAI adapter reads it.
/// </summary>
internal sealed class ClientFunction : AIFunctionDeclaration
{
    private static readonly JsonElement s_noParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    private ClientFunction(string name, string description, JsonElement schema, bool strict)
    {
        Name = name;
        Description = description;
        JsonSchema = schema;
        AdditionalProperties = new Dictionary<string, object?> { ["strict"] = strict };
    }

    public override string Name { get; }

    public override string Description { get; }

    public override JsonElement JsonSchema { get; }

    public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; }

    public static ClientFunction From(CompletionTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new ClientFunction(tool.Name!, tool.Description ?? string.Empty, tool.Parameters?.Clone() ?? s_noParameters, tool.Strict ?? false);
    }
}

namespace Devana.Application.Llm.ListLlms;

/// <summary>One catalog LLM as <c>GET /v1/llms</c> shows it: never a key, an upstream URL or an upstream model name.</summary>
public sealed record LlmDto
{
    public required string Id { get; init; }

    public string Object => "llm";

    /// <summary>The provider entry's name (<c>Devana:Llm:Providers:{name}</c>).</summary>
    public required string Provider { get; init; }

    public int ContextWindow { get; init; }

    public int MaxOutputTokens { get; init; }

    /// <summary>What the LLM takes beyond text: <c>tools</c>, <c>vision</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}

namespace Devana.Application.Llm.Common;

/// <summary>One entry of the LLM catalog (<c>Devana:Llm:Models</c>): what <c>GET /v1/llms</c> lists, never a key.</summary>
/// <param name="Id">The id callers use (<c>clientModel</c>, an agent's <c>model</c>).</param>
/// <param name="Provider">The name of the provider entry under <c>Devana:Llm:Providers</c>.</param>
/// <param name="ProviderType">OpenAI, Anthropic, Ollama, Echo or AzureOpenAI.</param>
/// <param name="UpstreamModel">The model name sent upstream.</param>
/// <param name="ContextWindow">Tokens the model reads at most (prompt and answer).</param>
/// <param name="MaxOutputTokens">Tokens the model writes at most; the ceiling of <c>max_tokens</c>.</param>
public sealed record LlmModel(string Id, string Provider, LlmProviderType ProviderType, string UpstreamModel, int ContextWindow, int MaxOutputTokens)
{
    /// <summary>What the LLM takes beyond text (<c>Devana:Llm:Models:{i}:Capabilities</c>): see <see cref="LlmCapabilities"/>.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public bool Supports(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);

    /// <summary>Value equality, <see cref="Capabilities"/> compared item by item.</summary>
    public bool Equals(LlmModel? other) =>
        other is not null
        && Id == other.Id && Provider == other.Provider && ProviderType == other.ProviderType && UpstreamModel == other.UpstreamModel
        && ContextWindow == other.ContextWindow && MaxOutputTokens == other.MaxOutputTokens
        && Capabilities.SequenceEqual(other.Capabilities, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Id, Provider, ProviderType, UpstreamModel, ContextWindow, MaxOutputTokens);
}

/// <summary>The capabilities a catalog entry may declare; a request that needs one its LLM lacks is a 400.</summary>
public static class LlmCapabilities
{
    /// <summary>Function tools: <c>tools</c>, <c>tool_choice</c>, assistant <c>tool_calls</c> and <c>tool</c> messages.</summary>
    public const string Tools = "tools";

    /// <summary>Images: <c>image_url</c> content parts.</summary>
    public const string Vision = "vision";

    public static readonly IReadOnlyList<string> All = [Tools, Vision];
}

public enum LlmProviderType
{
    OpenAI,
    Anthropic,
    Ollama,
    Echo,
    AzureOpenAI,
}

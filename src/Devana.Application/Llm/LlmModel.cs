namespace Devana.Application.Llm;

/// <summary>One entry of the LLM catalog (<c>Devana:Llm:Models</c>): what <c>GET /v1/llms</c> lists, never a key.</summary>
/// <param name="Id">The id callers use (<c>clientModel</c>, an agent's <c>model</c>).</param>
/// <param name="Provider">The name of the provider entry under <c>Devana:Llm:Providers</c>.</param>
/// <param name="ProviderType">OpenAI, Anthropic, Ollama, Echo or AzureOpenAI.</param>
/// <param name="UpstreamModel">The model name sent upstream.</param>
/// <param name="ContextWindow">Tokens the model reads at most (prompt and answer).</param>
/// <param name="MaxOutputTokens">Tokens the model writes at most; the ceiling of <c>max_tokens</c>.</param>
public sealed record LlmModel(string Id, string Provider, LlmProviderType ProviderType, string UpstreamModel, int ContextWindow, int MaxOutputTokens);

public enum LlmProviderType
{
    OpenAI,
    Anthropic,
    Ollama,
    Echo,
    AzureOpenAI,
}

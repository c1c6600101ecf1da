namespace Devana.Application.Llm.Common;

/// <summary>The LLM catalog, loaded and validated once at start-up.</summary>
public interface ILlmCatalog
{
    IReadOnlyList<LlmModel> Models { get; }

    /// <summary><c>Devana:Llm:DefaultModel</c>; always an id of <see cref="Models"/>.</summary>
    string DefaultModelId { get; }

    LlmModel? Find(string id);
}

using Devana.Application.Llm.Common;

namespace Devana.Infrastructure.Llm.Catalog;

/// <summary>The models of <see cref="LlmSettings"/>; ids are matched exactly (ordinal), as upstream model names are.</summary>
internal sealed class LlmCatalog : ILlmCatalog
{
    private readonly Dictionary<string, LlmModel> _byId;

    public LlmCatalog(LlmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Models = settings.Models;
        DefaultModelId = settings.DefaultModel;
        _byId = settings.Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<LlmModel> Models { get; }

    public string DefaultModelId { get; }

    public LlmModel? Find(string id) => id is not null && _byId.TryGetValue(id, out var model) ? model : null;
}

using Devana.Application.Llm;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>The catalog every functional test host uses: <c>echo</c> (the default) and <c>fake-large</c>.</summary>
public sealed class FixedLlmCatalog : ILlmCatalog
{
    public static readonly FixedLlmCatalog Instance = new();

    private FixedLlmCatalog()
    {
    }

    public IReadOnlyList<LlmModel> Models { get; } =
    [
        new("echo", "echo", LlmProviderType.Echo, "echo", 8192, 1024),
        new("fake-large", "fake", LlmProviderType.OpenAI, "gpt-fake-upstream", 128_000, 16_384),
    ];

    public string DefaultModelId => "echo";

    public LlmModel? Find(string id) => Models.FirstOrDefault(model => model.Id == id);
}

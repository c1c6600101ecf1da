using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Completions.Tools;

/// <summary>
/// The real host with the echo LLM and one LLM per wire format served by <see cref="FakeToolUpstreams"/>,
/// each declaring <c>tools</c> and <c>vision</c>, plus <c>plain</c> (an OpenAI LLM that declares nothing).
/// </summary>
public sealed class ToolsFactory : DevanaApiFactory
{
    public FakeToolUpstreams Upstreams { get; private set; } = null!;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Llm:DefaultModel"] = "echo";
        AddProvider(settings, "oai", "OpenAI", "/openai/v1");
        AddProvider(settings, "claude", "Anthropic", "/anthropic");
        AddProvider(settings, "llama", "Ollama", "/ollama");
        AddModel(settings, 0, "echo", "echo", null);
        AddModel(settings, 1, "gpt-fake", "oai", "tools,vision");
        AddModel(settings, 2, "claude-fake", "claude", "tools,vision");
        AddModel(settings, 3, "llama-fake", "llama", "tools");
        AddModel(settings, 4, "plain", "oai", null);
        return settings;
    }

    private void AddProvider(IDictionary<string, string?> settings, string name, string type, string path)
    {
        settings[$"Devana:Llm:Providers:{name}:Type"] = type;
        settings[$"Devana:Llm:Providers:{name}:BaseUrl"] = Upstreams.BaseUrl + path;
        settings[$"Devana:Llm:Providers:{name}:ApiKey"] = FakeToolUpstreams.ApiKey;
        settings[$"Devana:Llm:Providers:{name}:TimeoutSeconds"] = "10";
        settings[$"Devana:Llm:Providers:{name}:MaxRetries"] = "0";
    }

    private static void AddModel(IDictionary<string, string?> settings, int index, string id, string provider, string? capabilities)
    {
        settings[$"Devana:Llm:Models:{index}:Id"] = id;
        settings[$"Devana:Llm:Models:{index}:Provider"] = provider;
        settings[$"Devana:Llm:Models:{index}:MaxOutputTokens"] = "1000";
        if (capabilities is not null)
        {
            settings[$"Devana:Llm:Models:{index}:Capabilities"] = capabilities;
        }
    }

    public override async Task InitializeAsync()
    {
        Upstreams = await FakeToolUpstreams.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Upstreams is not null)
        {
            await Upstreams.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>The real host with the echo LLM and two LLMs served by a <see cref="FakeOpenAiUpstream"/>.</summary>
public sealed class CompletionsFactory : FakeUpstreamApiFactory
{
    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Llm:DefaultModel"] = "echo";
        settings["Devana:Llm:Providers:echo:Type"] = "Echo";
        settings["Devana:Llm:Providers:fake:Type"] = "OpenAI";
        settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
        settings["Devana:Llm:Providers:fake:ApiKey"] = "sk-fake-upstream-key";
        settings["Devana:Llm:Providers:fake:TimeoutSeconds"] = "10";
        AddModel(settings, 0, "echo", "echo", "echo", 128000, 4096);
        AddModel(settings, 1, "fake-large", "fake", "upstream-large", 100000, 1000);
        AddModel(settings, 2, "fake-small", "fake", "upstream-small", 100000, 1000);
        AddModel(settings, 3, "fake-tiny", "fake", "upstream-tiny", 400, 50);
        AddModel(settings, 4, "fake-medium", "fake", "upstream-medium", 2000, 100);
        settings["Devana:Completions:KeepAliveSeconds"] = "0.3";
        return settings;
    }

    private static void AddModel(IDictionary<string, string?> settings, int index, string id, string provider, string upstream, int context, int maxOutput)
    {
        settings[$"Devana:Llm:Models:{index}:Id"] = id;
        settings[$"Devana:Llm:Models:{index}:Provider"] = provider;
        settings[$"Devana:Llm:Models:{index}:UpstreamModel"] = upstream;
        settings[$"Devana:Llm:Models:{index}:ContextWindow"] = context.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Devana:Llm:Models:{index}:MaxOutputTokens"] = maxOutput.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm;
using Devana.Infrastructure.Llm.Tokenization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Devana.Infrastructure.IntegrationTests.Llm.Catalog;

/// <summary><c>Devana:Llm</c> as AddLlm reads it at start-up (docs/llm-providers.md).</summary>
public sealed class LlmCatalogConfigurationTests
{
    private static IServiceCollection AddLlm(IDictionary<string, string?> settings) =>
        new ServiceCollection().AddLlm(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static ILlmCatalog Catalog(IDictionary<string, string?> settings) =>
        AddLlm(settings).BuildServiceProvider().GetRequiredService<ILlmCatalog>();

    /// <summary>A valid configuration with one provider of each type; each bad case changes one key.</summary>
    private static Dictionary<string, string?> Valid() => new()
    {
        ["Devana:Llm:DefaultModel"] = "gpt",
        ["Devana:Llm:Providers:openai:Type"] = "OpenAI",
        ["Devana:Llm:Providers:openai:BaseUrl"] = "http://localhost:8000/v1",
        ["Devana:Llm:Providers:openai:ApiKey"] = "sk-secret-key-000000",
        ["Devana:Llm:Providers:claude:Type"] = "Anthropic",
        ["Devana:Llm:Providers:local:Type"] = "ollama",
        ["Devana:Llm:Providers:local:BaseUrl"] = "http://localhost:11434",
        ["Devana:Llm:Providers:local:TimeoutSeconds"] = "2.5",
        ["Devana:Llm:Models:0:Id"] = "gpt",
        ["Devana:Llm:Models:0:Provider"] = "openai",
        ["Devana:Llm:Models:0:UpstreamModel"] = "gpt-4o-mini",
        ["Devana:Llm:Models:0:ContextWindow"] = "128000",
        ["Devana:Llm:Models:0:MaxOutputTokens"] = "16384",
        ["Devana:Llm:Models:1:Id"] = "claude",
        ["Devana:Llm:Models:1:Provider"] = "claude",
        ["Devana:Llm:Models:2:Id"] = "llama",
        ["Devana:Llm:Models:2:Provider"] = "LOCAL",
        ["Devana:Llm:Models:3:Id"] = "echo",
        ["Devana:Llm:Models:3:Provider"] = "echo",
    };

    [Fact]
    public void AddLlm_WithNoConfiguration_HasOnlyTheEchoModelAsDefault()
    {
        var catalog = Catalog(new Dictionary<string, string?>());

        var model = catalog.Models.Should().ContainSingle().Subject;
        model.Should().Be(new LlmModel("echo", "echo", LlmProviderType.Echo, "echo", 128_000, 4_096) { Capabilities = LlmCapabilities.All });
        catalog.DefaultModelId.Should().Be("echo");
        catalog.Find("echo").Should().BeSameAs(model);
    }

    [Fact]
    public void AddLlm_WithOneProviderOfEachType_ListsTheModelsInOrderWithTheirProviders()
    {
        var catalog = Catalog(Valid());

        catalog.Models.Select(m => (m.Id, m.Provider, m.ProviderType, m.UpstreamModel)).Should().Equal(
            ("gpt", "openai", LlmProviderType.OpenAI, "gpt-4o-mini"),
            ("claude", "claude", LlmProviderType.Anthropic, "claude"),
            ("llama", "local", LlmProviderType.Ollama, "llama"),
            ("echo", "echo", LlmProviderType.Echo, "echo"));
        catalog.Find("gpt")!.ContextWindow.Should().Be(128_000);
        catalog.Find("gpt")!.MaxOutputTokens.Should().Be(16_384);
        catalog.Find("claude")!.MaxOutputTokens.Should().Be(4_096, "the default output limit");
        catalog.DefaultModelId.Should().Be("gpt");
    }

    [Fact]
    public void Find_WithAnotherCase_FindsNothing()
    {
        var catalog = Catalog(Valid());

        catalog.Find("GPT").Should().BeNull();
        catalog.Find("unknown").Should().BeNull();
    }

    [Fact]
    public void GetClient_ForEveryModel_ReturnsAClientWithoutCallingTheUpstream()
    {
        using var services = AddLlm(Valid()).BuildServiceProvider();
        var catalog = services.GetRequiredService<ILlmCatalog>();
        var provider = services.GetRequiredService<ILlmClientProvider>();

        foreach (var model in catalog.Models)
        {
            provider.GetClient(model).Should().NotBeNull();
        }
    }

    [Fact]
    public void AddLlm_StartsLoadingTheTokenizerWithTheHost()
    {
        using var services = AddLlm(Valid()).BuildServiceProvider();

        services.GetServices<IHostedService>().Should().ContainSingle(service => service is TokenizerPreload);
    }

    [Fact]
    public void GetClient_ForAModelNotInTheCatalog_ThrowsArgumentException()
    {
        using var services = AddLlm(Valid()).BuildServiceProvider();

        var act = () => services.GetRequiredService<ILlmClientProvider>().GetClient(new LlmModel("nope", "openai", LlmProviderType.OpenAI, "x", 10, 5));

        act.Should().Throw<ArgumentException>().WithMessage("*nope*");
    }

    public static TheoryData<string, string?, string> BadSettings => new()
    {
        // key to change, new value (null removes it), key the message must name
        { "Devana:Llm:Providers:openai:Type", "Gemini", "Devana:Llm:Providers:openai:Type" },
        { "Devana:Llm:Providers:openai:Type", "1", "Devana:Llm:Providers:openai:Type" },
        { "Devana:Llm:Providers:openai:Type", null, "Devana:Llm:Providers:openai:Type" },
        { "Devana:Llm:Models:2:Provider", "missing", "Devana:Llm:Models:2:Provider" },
        { "Devana:Llm:Models:2:Provider", null, "Devana:Llm:Models:2:Provider" },
        { "Devana:Llm:Models:2:Id", "gpt", "Devana:Llm:Models:2:Id" },
        { "Devana:Llm:Models:1:Id", null, "Devana:Llm:Models:1:Id" },
        { "Devana:Llm:DefaultModel", "gpt-5", "Devana:Llm:DefaultModel" },
        { "Devana:Llm:Providers:local:BaseUrl", null, "Devana:Llm:Providers:local:BaseUrl" },
        { "Devana:Llm:Providers:openai:BaseUrl", "localhost:8000", "Devana:Llm:Providers:openai:BaseUrl" },
        { "Devana:Llm:Providers:openai:BaseUrl", "ftp://example.com/v1", "Devana:Llm:Providers:openai:BaseUrl" },
        { "Devana:Llm:Models:0:ContextWindow", "0", "Devana:Llm:Models:0:ContextWindow" },
        { "Devana:Llm:Models:0:ContextWindow", "many", "Devana:Llm:Models:0:ContextWindow" },
        { "Devana:Llm:Models:0:MaxOutputTokens", "-1", "Devana:Llm:Models:0:MaxOutputTokens" },
        { "Devana:Llm:Models:0:MaxOutputTokens", "200000", "Devana:Llm:Models:0:MaxOutputTokens" },
        { "Devana:Llm:Providers:local:TimeoutSeconds", "0", "Devana:Llm:Providers:local:TimeoutSeconds" },
        { "Devana:Llm:Providers:local:MaxRetries", "-1", "Devana:Llm:Providers:local:MaxRetries" },
        { "Devana:Llm:Providers:local:RetryDelayMilliseconds", "soon", "Devana:Llm:Providers:local:RetryDelayMilliseconds" },
        { "Devana:Llm:Providers:claude:ApiVersion", "2026-10-22", "Devana:Llm:Providers:claude:ApiVersion" },
        { "Devana:Llm:Providers:claude:ApiVersion", "latest", "Devana:Llm:Providers:claude:ApiVersion" },
        { "Devana:Llm:Providers:openai:ApiVersion", "2024-10-21", "Devana:Llm:Providers:openai:ApiVersion" },
    };

    [Theory]
    [InlineData("BaseUrl", null, "Devana:Llm:Providers:azure:BaseUrl")]
    [InlineData("ApiVersion", "2023-06-01", "Devana:Llm:Providers:azure:ApiVersion")]
    public void AddLlm_WithABadAzureOpenAISetting_ThrowsNamingTheKey(string name, string? value, string namedKey)
    {
        var settings = Valid();
        settings["Devana:Llm:Providers:azure:Type"] = "AzureOpenAI";
        settings["Devana:Llm:Providers:azure:BaseUrl"] = "https://my-resource.openai.azure.com";
        settings[$"Devana:Llm:Providers:azure:{name}"] = value;

        var act = () => AddLlm(settings);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain($"'{namedKey}'");
    }

    [Theory]
    [InlineData(null, "2024-10-21")]
    [InlineData("2024-06-01", "2024-06-01")]
    public void AddLlm_ForAnAzureOpenAIProvider_ReadsTheApiVersionOrDefaultsToTheNewest(string? configured, string expected)
    {
        var settings = Valid();
        settings["Devana:Llm:Providers:azure:Type"] = "AzureOpenAI";
        settings["Devana:Llm:Providers:azure:BaseUrl"] = "https://my-resource.openai.azure.com";
        settings["Devana:Llm:Providers:azure:ApiVersion"] = configured;

        var read = AddLlm(settings).BuildServiceProvider().GetRequiredService<Devana.Infrastructure.Llm.Catalog.LlmSettings>();

        read.Providers["azure"].ApiVersion.Should().Be(expected);
    }

    [Theory]
    [InlineData(null, "2023-06-01")]
    [InlineData("2023-06-01", "2023-06-01")]
    [InlineData(" 2026-10-21 ", "2026-10-21")]
    public void AddLlm_ForAnAnthropicProvider_ReadsTheApiVersionOrDefaultsTo20230601(string? configured, string expected)
    {
        var settings = Valid();
        settings["Devana:Llm:Providers:claude:ApiVersion"] = configured;

        var read = AddLlm(settings).BuildServiceProvider().GetRequiredService<Devana.Infrastructure.Llm.Catalog.LlmSettings>();

        read.Providers["claude"].ApiVersion.Should().Be(expected);
        read.Providers["openai"].ApiVersion.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void AddLlm_WithABadSetting_ThrowsNamingTheKey(string key, string? value, string namedKey)
    {
        var settings = Valid();
        settings[key] = value;
        if (value is null)
        {
            settings.Remove(key);
        }

        var act = () => AddLlm(settings);

        act.Should().Throw<InvalidOperationException>().WithMessage($"*'{namedKey}'*");
    }

    [Fact]
    public void AddLlm_WithoutDefaultModelAndWithoutAnEchoModel_ThrowsNamingDefaultModel()
    {
        var settings = Valid();
        settings.Remove("Devana:Llm:DefaultModel");
        settings.Remove("Devana:Llm:Models:3:Id");
        settings.Remove("Devana:Llm:Models:3:Provider");

        var act = () => AddLlm(settings);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Devana:Llm:DefaultModel' is 'echo'*'gpt', 'claude', 'llama'*");
    }

    [Fact]
    public void AddLlm_WithABadSetting_NeverPrintsAKey()
    {
        var settings = Valid();
        settings["Devana:Llm:Providers:openai:Type"] = "Gemini";

        var act = () => AddLlm(settings);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().NotContain("sk-secret-key");
    }

    [Fact]
    public void AddLlm_WithModelsButNoEchoModel_StillOffersTheEchoProvider()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Devana:Llm:DefaultModel"] = "offline",
            ["Devana:Llm:Models:0:Id"] = "offline",
            ["Devana:Llm:Models:0:Provider"] = "echo",
        };

        var catalog = Catalog(settings);

        catalog.Models.Should().ContainSingle().Which.ProviderType.Should().Be(LlmProviderType.Echo);
    }

    [Fact]
    public void Capabilities_AsAnArrayOrACommaSeparatedString_AreRead_AndDefaultToNoneExceptForEcho()
    {
        var settings = Valid();
        settings["Devana:Llm:Models:0:Capabilities:0"] = "tools";
        settings["Devana:Llm:Models:0:Capabilities:1"] = "Vision";
        settings["Devana:Llm:Models:2:Capabilities"] = "tools";

        var catalog = Catalog(settings);

        catalog.Find("gpt")!.Capabilities.Should().Equal("tools", "vision");
        catalog.Find("claude")!.Capabilities.Should().BeEmpty();
        catalog.Find("llama")!.Capabilities.Should().Equal("tools");
        catalog.Find("echo")!.Capabilities.Should().Equal("tools", "vision");
        catalog.Find("gpt")!.Supports(LlmCapabilities.Vision).Should().BeTrue();
        catalog.Find("claude")!.Supports(LlmCapabilities.Tools).Should().BeFalse();
    }

    [Fact]
    public void Capabilities_WithAnUnknownValue_StopsStartUpNamingTheKey()
    {
        var settings = Valid();
        settings["Devana:Llm:Models:1:Capabilities"] = "tools,audio";

        var act = () => Catalog(settings);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Devana:Llm:Models:1:Capabilities'*'audio'*tools, vision*");
    }
}

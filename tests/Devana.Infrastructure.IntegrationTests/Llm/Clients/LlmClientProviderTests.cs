using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients;

/// <summary>One client per model, kept for its HTTP handlers' lifetime (docs/llm-providers.md, "For code that calls an LLM").</summary>
public sealed class LlmClientProviderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;

    public LlmClientProviderTests()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Devana:Llm:DefaultModel"] = "echo",
            ["Devana:Llm:Providers:openai:Type"] = "OpenAI",
            ["Devana:Llm:Providers:openai:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Devana:Llm:Providers:forever:Type"] = "OpenAI",
            ["Devana:Llm:Providers:forever:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Devana:Llm:Models:0:Id"] = "gpt",
            ["Devana:Llm:Models:0:Provider"] = "openai",
            ["Devana:Llm:Models:1:Id"] = "gpt-mini",
            ["Devana:Llm:Models:1:Provider"] = "openai",
            ["Devana:Llm:Models:2:Id"] = "kept",
            ["Devana:Llm:Models:2:Provider"] = "forever",
            ["Devana:Llm:Models:3:Id"] = "echo",
            ["Devana:Llm:Models:3:Provider"] = "echo",
        };
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddLlm(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.Configure<HttpClientFactoryOptions>("Devana.Llm.forever", options => options.HandlerLifetime = Timeout.InfiniteTimeSpan);
        _services = services.BuildServiceProvider();
    }

    private ILlmClientProvider Provider => _services.GetRequiredService<ILlmClientProvider>();

    private LlmModel Model(string id) => _services.GetRequiredService<ILlmCatalog>().Find(id)!;

    public void Dispose() => _services.Dispose();

    [Fact]
    public void GetClient_AgainForTheSameModel_GivesTheSameClient_AndAnotherModelItsOwn()
    {
        var first = Provider.GetClient(Model("gpt"));

        Provider.GetClient(Model("gpt")).Should().BeSameAs(first);
        Provider.GetClient(Model("gpt-mini")).Should().NotBeSameAs(first, "each model sends its own upstream model name");
    }

    [Fact]
    public void GetClient_OnceTheHandlerLifetimeHasPassed_BuildsANewClient_AndKeepsThatOne()
    {
        var first = Provider.GetClient(Model("gpt"));

        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Provider.GetClient(Model("gpt")).Should().BeSameAs(first, "IHttpClientFactory's default handler lifetime is 2 minutes");
        _time.Advance(TimeSpan.FromSeconds(1));
        var renewed = Provider.GetClient(Model("gpt"));

        renewed.Should().NotBeSameAs(first);
        Provider.GetClient(Model("gpt")).Should().BeSameAs(renewed);
    }

    [Fact]
    public void GetClient_WithAnInfiniteHandlerLifetime_KeepsTheClient()
    {
        var first = Provider.GetClient(Model("kept"));

        _time.Advance(TimeSpan.FromDays(400));

        Provider.GetClient(Model("kept")).Should().BeSameAs(first);
    }

    [Fact]
    public async Task AKeptClient_ServesConcurrentCalls_AndARenewedOneTakesOver()
    {
        var kept = Provider.GetClient(Model("echo"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Provider.GetClient(Model("echo")).GetResponseAsync([new ChatMessage(ChatRole.User, $"question {i}")]))));
        _time.Advance(TimeSpan.FromMinutes(3));
        var renewed = Provider.GetClient(Model("echo"));
        var later = await renewed.GetResponseAsync([new ChatMessage(ChatRole.User, "after the renewal")]);

        answers.Select(a => a.Text).Should().OnlyHaveUniqueItems().And.AllSatisfy(text => text.Should().Contain("question"));
        renewed.Should().NotBeSameAs(kept);
        later.Text.Should().Contain("after the renewal");
    }
}

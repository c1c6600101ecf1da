using Devana.Application.Llm.Common;
using NSubstitute;

namespace Devana.Application.UnitTests.Agents;

/// <summary>An NSubstitute catalog of <c>echo</c> (the default) and <c>fake-large</c>.</summary>
internal static class TestCatalog
{
    public static readonly LlmModel Echo = new("echo", "echo", LlmProviderType.Echo, "echo", 8192, 1024);
    public static readonly LlmModel FakeLarge = new("fake-large", "fake", LlmProviderType.OpenAI, "gpt-fake", 128_000, 16_384);

    public static ILlmCatalog Create()
    {
        var catalog = Substitute.For<ILlmCatalog>();
        catalog.Models.Returns([Echo, FakeLarge]);
        catalog.DefaultModelId.Returns(Echo.Id);
        catalog.Find(Arg.Any<string>()).Returns(call => call.Arg<string>() switch
        {
            "echo" => Echo,
            "fake-large" => FakeLarge,
            _ => null,
        });
        return catalog;
    }
}

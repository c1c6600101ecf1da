using AutoMapper;
using Devana.Application.Llm.ListLlms;
using Devana.Application.UnitTests.Agents;

namespace Devana.Application.UnitTests.Llm;

public sealed class ListLlmsQueryHandlerTests
{
    [Fact]
    public async Task Handle_ListsTheCatalogInOrderWithoutUpstreamDetails()
    {
        var mapper = new MapperConfiguration(cfg => cfg.AddMaps(typeof(LlmDto).Assembly)).CreateMapper();
        var handler = new ListLlmsQueryHandler(TestCatalog.Create(), mapper);

        var result = await handler.Handle(new ListLlmsQuery(), CancellationToken.None);

        result.Object.Should().Be("list");
        result.HasMore.Should().BeFalse();
        result.Data.Should().BeEquivalentTo(
            [
                new { Id = "echo", Object = "llm", Provider = "echo", ContextWindow = 8192, MaxOutputTokens = 1024 },
                new { Id = "fake-large", Object = "llm", Provider = "fake", ContextWindow = 128_000, MaxOutputTokens = 16_384 },
            ],
            options => options.WithStrictOrdering());
        typeof(LlmDto).GetProperties().Select(p => p.Name).Should().NotContain(["UpstreamModel", "ApiKey", "BaseUrl"]);
    }
}

using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

public sealed class AgentsOpenApiTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheAgentsEndpointsAsTheWireIs()
    {
        using var client = factory.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths");
        paths.TryGetProperty("/v1/agents", out _).Should().BeTrue();
        paths.TryGetProperty("/v1/agents/{id}", out _).Should().BeTrue();
        paths.TryGetProperty("/v1/models", out _).Should().BeTrue();
        paths.TryGetProperty("/v1/llms", out _).Should().BeTrue();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        schemas.GetProperty("AgentDto").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo(AgentsApi.AgentFields, "the document uses the wire's snake_case names");
        var patchTemperature = schemas.GetProperty("UpdateAgentCommand").GetProperty("properties").GetProperty("temperature");
        var temperature = patchTemperature.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : patchTemperature;
        temperature.GetProperty("type").EnumerateArray().Select(t => t.GetString())
            .Should().BeEquivalentTo(["null", "number"], "a PATCH field is documented as its value");
        schemas.GetProperty("CreateAgentCommand").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("name");
    }
}

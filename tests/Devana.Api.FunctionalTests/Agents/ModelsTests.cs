using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using OpenAI;

namespace Devana.Api.FunctionalTests.Agents;

/// <summary><c>/v1/models</c>: the caller's usable agents as OpenAI models, readable by the OpenAI .NET SDK.</summary>
public sealed class ModelsTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task List_IsOpenAiShapedAndHoldsTheAgentsTheCallerMayUse()
    {
        var workspace = AgentsApi.NewWorkspace();
        var caller = await factory.CreateUserAsync(workspace);
        var colleague = await factory.CreateUserAsync(workspace);
        var mine = await caller.CreateAgentAsync(new { id = "mine", name = "Mine", description = "My agent" });
        await colleague.CreateAgentAsync(new { id = "shared", name = "Shared", visibility = "workspace" });
        await colleague.CreateAgentAsync(new { id = "theirs", name = "Theirs" });

        var list = await (await caller.Client.GetAsync("/v1/models")).ReadJsonAsync();

        list.GetProperty("object").GetString().Should().Be("list");
        list.Ids().Should().Equal("shared", "mine");
        var model = list.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "mine");
        model.EnumerateObject().Select(p => p.Name).Should().Equal("id", "object", "created", "owned_by", "name", "description");
        model.GetProperty("object").GetString().Should().Be("model");
        model.GetProperty("created").GetInt64().Should().Be(mine.GetProperty("created_at").GetInt64());
        model.GetProperty("owned_by").GetString().Should().Be(caller.PrincipalId);
        model.GetProperty("name").GetString().Should().Be("Mine");
        model.GetProperty("description").GetString().Should().Be("My agent");
    }

    [Fact]
    public async Task Get_ReturnsOneUsableAgent()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        await caller.CreateAgentAsync(new { id = "solo", name = "Solo" });

        var model = await (await caller.Client.GetAsync("/v1/models/solo")).ReadJsonAsync();

        model.Id().Should().Be("solo");
        model.GetProperty("object").GetString().Should().Be("model");
    }

    [Fact]
    public async Task Get_WhenUnknown_Returns404ModelNotFound()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());

        var response = await caller.Client.GetAsync("/v1/models/gpt-4o");

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
    }

    [Fact]
    public async Task OpenAiSdk_ListsAndGetsTheCallersAgents()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        await caller.CreateAgentAsync(new { id = "sdk-first", name = "First" });
        await caller.CreateAgentAsync(new { id = "sdk-second", name = "Second" });
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        using var transport = factory.CreateClient();
        var openAi = new OpenAIClient(new ApiKeyCredential(token), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(transport),
        });
        var models = openAi.GetOpenAIModelClient();

        var listed = (await models.GetModelsAsync()).Value;
        var one = (await models.GetModelAsync("sdk-first")).Value;

        listed.Select(m => m.Id).Should().Equal("sdk-second", "sdk-first");
        listed.Should().OnlyContain(m => m.OwnedBy == caller.PrincipalId && m.CreatedAt > DateTimeOffset.UnixEpoch);
        one.Id.Should().Be("sdk-first");
    }

    [Fact]
    public async Task OpenAiSdk_WhenModelIsUnknown_ThrowsWithStatus404()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        using var transport = factory.CreateClient();
        var models = new OpenAIClient(new ApiKeyCredential(caller.Client.DefaultRequestHeaders.Authorization!.Parameter!), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(transport),
        }).GetOpenAIModelClient();

        var act = () => models.GetModelAsync("nope");

        (await act.Should().ThrowAsync<ClientResultException>()).Which.Status.Should().Be(404);
    }

    [Fact]
    public async Task Llms_ListsTheCatalogWithoutSecrets()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());

        var response = await caller.Client.GetAsync("/v1/llms");

        var list = await response.ReadJsonAsync();
        list.GetProperty("object").GetString().Should().Be("list");
        list.Ids().Should().Equal("echo", "fake-large");
        var llm = list.GetProperty("data")[1];
        llm.EnumerateObject().Select(p => p.Name).Should().Equal("id", "object", "provider", "context_window", "max_output_tokens", "capabilities");
        llm.GetProperty("object").GetString().Should().Be("llm");
        llm.GetProperty("provider").GetString().Should().Be("fake");
        llm.GetProperty("context_window").GetInt32().Should().Be(128_000);
        llm.GetProperty("max_output_tokens").GetInt32().Should().Be(16_384);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("gpt-fake-upstream");
        list.GetProperty("data")[0].GetProperty("id").ValueKind.Should().Be(JsonValueKind.String);
    }
}

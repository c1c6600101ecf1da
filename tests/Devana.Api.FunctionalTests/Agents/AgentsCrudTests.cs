using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

public sealed class AgentsCrudTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Fact]
    public async Task Post_WithoutId_Returns201WithAgtIdDefaultsAndLocation()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { name = "Support" });

        var agent = await response.ReadJsonAsync(HttpStatusCode.Created);
        agent.EnumerateObject().Select(p => p.Name).Should().Equal(AgentsApi.AgentFields);
        agent.Id().Should().MatchRegex("^agt_[0-9a-z]{24}$");
        response.Headers.Location!.ToString().Should().EndWith($"/v1/agents/{agent.Id()}");
        agent.GetProperty("object").GetString().Should().Be("agent");
        agent.GetProperty("name").GetString().Should().Be("Support");
        agent.GetProperty("model").ValueKind.Should().Be(JsonValueKind.Null);
        agent.GetProperty("allowed_models").GetArrayLength().Should().Be(0);
        agent.GetProperty("fallback_models").GetArrayLength().Should().Be(0);
        agent.GetProperty("temperature").ValueKind.Should().Be(JsonValueKind.Null);
        agent.GetProperty("visibility").GetString().Should().Be("private");
        agent.GetProperty("file_ids").GetArrayLength().Should().Be(0);
        agent.GetProperty("metadata").EnumerateObject().Should().BeEmpty();
        agent.GetProperty("owner_id").GetString().Should().Be(caller.PrincipalId);
        agent.GetProperty("created_at").GetInt64().Should().BeInRange(before, before + 60);
        agent.GetProperty("updated_at").GetInt64().Should().Be(agent.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task Post_WithEveryField_StoresAndReturnsThem()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        const string body = """
            {"id": "support.v2_fr", "name": "Support", "description": "Answers customers", "instructions": "Be brief.",
             "model": "fake-large", "allowed_models": ["echo", "fake-large"], "fallback_models": ["echo"], "temperature": 0.2, "top_p": 0.9,
             "max_tokens": 512, "lang": "fr", "welcome_message": "Bonjour !", "visibility": "workspace",
             "metadata": {"team": "care", "Tier": "gold"}}
            """;

        var created = await (await caller.Client.PostJsonAsync("/v1/agents", body)).ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await caller.Client.GetAsync("/v1/agents/support.v2_fr")).ReadJsonAsync();

        foreach (var agent in new[] { created, fetched })
        {
            agent.Id().Should().Be("support.v2_fr");
            agent.GetProperty("description").GetString().Should().Be("Answers customers");
            agent.GetProperty("instructions").GetString().Should().Be("Be brief.");
            agent.GetProperty("model").GetString().Should().Be("fake-large");
            agent.GetProperty("allowed_models").EnumerateArray().Select(e => e.GetString()).Should().Equal("echo", "fake-large");
            agent.GetProperty("fallback_models").EnumerateArray().Select(e => e.GetString()).Should().Equal("echo");
            agent.GetProperty("temperature").GetDouble().Should().Be(0.2);
            agent.GetProperty("top_p").GetDouble().Should().Be(0.9);
            agent.GetProperty("max_tokens").GetInt32().Should().Be(512);
            agent.GetProperty("lang").GetString().Should().Be("fr");
            agent.GetProperty("welcome_message").GetString().Should().Be("Bonjour !");
            agent.GetProperty("visibility").GetString().Should().Be("workspace");
            agent.GetProperty("metadata").GetProperty("team").GetString().Should().Be("care");
            agent.GetProperty("metadata").GetProperty("Tier").GetString().Should().Be("gold", "metadata keys are kept as sent");
        }
    }

    [Fact]
    public async Task Post_WhenSlugIsTaken_Returns409AlreadyExists()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        await caller.CreateAgentAsync(id: "helpdesk");

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { id = "helpdesk", name = "Other" });

        await response.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "already_exists", "id");
    }

    [Fact]
    public async Task Post_WhenSlugIsTakenInAnotherWorkspace_Succeeds()
    {
        var first = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var second = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        await first.CreateAgentAsync(id: "shared-name");

        var agent = await second.CreateAgentAsync(id: "shared-name");

        agent.Id().Should().Be("shared-name");
    }

    [Fact]
    public async Task Patch_ChangesOnlyPresentFieldsAndNullClears()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new
        {
            name = "Support", description = "d", instructions = "i", model = "echo", allowed_models = new[] { "echo" },
            temperature = 0.3, max_tokens = 100, lang = "de", metadata = new { a = "1" },
        });

        var patched = await (await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}",
            """{"name": "Renamed", "description": null, "temperature": null, "allowed_models": null, "metadata": {"b": "2"}}""")).ReadJsonAsync();

        patched.GetProperty("name").GetString().Should().Be("Renamed");
        patched.GetProperty("description").ValueKind.Should().Be(JsonValueKind.Null);
        patched.GetProperty("temperature").ValueKind.Should().Be(JsonValueKind.Null);
        patched.GetProperty("allowed_models").GetArrayLength().Should().Be(0);
        patched.GetProperty("metadata").EnumerateObject().Select(p => p.Name).Should().Equal("b");
        patched.GetProperty("instructions").GetString().Should().Be("i", "absent fields are left alone");
        patched.GetProperty("model").GetString().Should().Be("echo");
        patched.GetProperty("max_tokens").GetInt32().Should().Be(100);
        patched.GetProperty("lang").GetString().Should().Be("de");
        patched.GetProperty("created_at").GetInt64().Should().Be(agent.GetProperty("created_at").GetInt64());
        var fetched = await (await caller.Client.GetAsync($"/v1/agents/{agent.Id()}")).ReadJsonAsync();
        fetched.GetProperty("name").GetString().Should().Be("Renamed");
        fetched.GetProperty("description").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Patch_FallbackModels_KeepsTheirOrder_AndNullClearsThem()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new { name = "Support", model = "echo", fallback_models = new[] { "fake-large" } });

        var reordered = await (await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"fallback_models": ["fake-large", "echo"]}""")).ReadJsonAsync();
        reordered.GetProperty("fallback_models").EnumerateArray().Select(e => e.GetString()).Should().Equal("fake-large", "echo");
        var renamed = await (await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"name": "Desk"}""")).ReadJsonAsync();
        renamed.GetProperty("fallback_models").GetArrayLength().Should().Be(2, "absent fields are left alone");

        var cleared = await (await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"fallback_models": null}""")).ReadJsonAsync();

        cleared.GetProperty("fallback_models").GetArrayLength().Should().Be(0);
        var fetched = await (await caller.Client.GetAsync($"/v1/agents/{agent.Id()}")).ReadJsonAsync();
        fetched.GetProperty("fallback_models").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Patch_WithEmptyBody_ChangesNothing()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new { name = "Support", instructions = "i", visibility = "workspace" });

        var patched = await (await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", "{}")).ReadJsonAsync();

        patched.GetProperty("name").GetString().Should().Be("Support");
        patched.GetProperty("instructions").GetString().Should().Be("i");
        patched.GetProperty("visibility").GetString().Should().Be("workspace");
    }

    [Fact]
    public async Task Patch_ModelNullOnARestrictedAgent_Returns400BecauseTheRestrictionNeedsAModel()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new { name = "a", model = "echo", allowed_models = new[] { "echo" } });

        var response = await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"model": null}""");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "model");
    }

    [Fact]
    public async Task Patch_ModelOutsideStoredAllowedModels_Returns400NamingAllowedModels()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new { name = "a", model = "echo", allowed_models = new[] { "echo" } });

        var response = await caller.Client.PatchJsonAsync($"/v1/agents/{agent.Id()}", """{"model": "fake-large"}""");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "allowed_models");
    }

    [Fact]
    public async Task Put_ReplacesEverythingAndAbsentFieldsReturnToDefaults()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync(new
        {
            name = "Support", description = "d", instructions = "i", model = "echo", temperature = 0.3, lang = "de",
            visibility = "workspace", metadata = new { a = "1" },
        });

        var replaced = await (await caller.Client.PutJsonAsync($"/v1/agents/{agent.Id()}", """{"name": "Fresh", "top_p": 0.5}""")).ReadJsonAsync();

        replaced.Id().Should().Be(agent.Id());
        replaced.GetProperty("name").GetString().Should().Be("Fresh");
        replaced.GetProperty("top_p").GetDouble().Should().Be(0.5);
        replaced.GetProperty("description").ValueKind.Should().Be(JsonValueKind.Null);
        replaced.GetProperty("instructions").ValueKind.Should().Be(JsonValueKind.Null);
        replaced.GetProperty("model").ValueKind.Should().Be(JsonValueKind.Null);
        replaced.GetProperty("temperature").ValueKind.Should().Be(JsonValueKind.Null);
        replaced.GetProperty("lang").ValueKind.Should().Be(JsonValueKind.Null);
        replaced.GetProperty("visibility").GetString().Should().Be("private");
        replaced.GetProperty("metadata").EnumerateObject().Should().BeEmpty();
        replaced.GetProperty("owner_id").GetString().Should().Be(caller.PrincipalId);
        replaced.GetProperty("created_at").GetInt64().Should().Be(agent.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task Put_WithoutName_Returns400MissingRequiredParameter()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var agent = await caller.CreateAgentAsync();

        var response = await caller.Client.PutJsonAsync($"/v1/agents/{agent.Id()}", """{"description": "only this"}""");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "name");
    }

    [Fact]
    public async Task Delete_AnswersOpenAisDeletedShapeAndTheAgentDisappearsEverywhere()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        var kept = await caller.CreateAgentAsync(id: "kept");
        await caller.CreateAgentAsync(id: "gone", visibility: "workspace");

        var response = await caller.Client.DeleteAsync("/v1/agents/gone");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("id").GetString().Should().Be("gone");
        body.GetProperty("object").GetString().Should().Be("agent");
        body.GetProperty("deleted").GetBoolean().Should().BeTrue();
        (await (await caller.Client.GetAsync("/v1/agents")).ReadJsonAsync()).Ids().Should().Equal(kept.Id());
        (await (await caller.Client.GetAsync("/v1/models")).ReadJsonAsync()).Ids().Should().Equal(kept.Id());
        await (await caller.Client.GetAsync("/v1/agents/gone")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await caller.Client.GetAsync("/v1/models/gone")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
        await (await caller.Client.PatchJsonAsync("/v1/agents/gone", """{"name": "x"}""")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        await (await caller.Client.DeleteAsync("/v1/agents/gone")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
    }

    [Fact]
    public async Task Post_WithTheIdOfADeletedAgent_Returns409BecauseIdsAreNotReused()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());
        await caller.CreateAgentAsync(id: "retired");
        (await caller.Client.DeleteAsync("/v1/agents/retired")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await caller.Client.PostAsJsonAsync("/v1/agents", new { id = "retired", name = "Again" });

        await response.ShouldBeErrorAsync(HttpStatusCode.Conflict, "conflict_error", "already_exists", "id");
    }

    [Fact]
    public async Task Get_WhenUnknown_Returns404AgentNotFound()
    {
        var caller = await factory.CreateUserAsync(AgentsApi.NewWorkspace());

        var response = await caller.Client.GetAsync("/v1/agents/nope");

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Fuzz;

/// <summary>What the fuzz suite found, pinned as plain examples so that they stay fixed whatever the generators do.</summary>
public sealed class FuzzFindingsTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"file_ids":null}""")]
    public async Task AttachFiles_WithoutFileIds_Is400NamingThem_NotA500(string body)
    {
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Holds files" });

        var response = await caller.Client.PostAsync($"/v1/agents/{agentId}/files", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "file_ids");
        (await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}")).GetProperty("file_ids").GetArrayLength().Should().Be(0);
    }
}

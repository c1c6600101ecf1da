using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Agents;

/// <summary>Small helpers over <see cref="TestCaller.Client"/> for the agents endpoints.</summary>
internal static class AgentsApi
{
    public static readonly string[] AgentFields =
    [
        "id", "object", "name", "description", "instructions", "model", "allowed_models", "temperature", "top_p",
        "max_tokens", "lang", "welcome_message", "visibility", "file_ids", "metadata", "tools", "max_tool_rounds", "owner_id", "created_at", "updated_at",
    ];

    /// <summary>A workspace name no other test uses, so that tests sharing a host do not see each other's agents.</summary>
    public static string NewWorkspace() => "ws-" + Guid.NewGuid().ToString("N");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json) =>
        client.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>POSTs an agent and returns its object (201 expected).</summary>
    public static async Task<JsonElement> CreateAgentAsync(this TestCaller caller, object body)
    {
        var response = await caller.Client.PostAsJsonAsync("/v1/agents", body);
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static Task<JsonElement> CreateAgentAsync(this TestCaller caller, string name = "Agent", string visibility = "private", string? id = null) =>
        caller.CreateAgentAsync(id is null ? new { name, visibility } : (object)new { id, name, visibility });

    public static string Id(this JsonElement agent) => agent.GetProperty("id").GetString()!;

    public static IReadOnlyList<string> Ids(this JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToList();
}

using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Quotas;

public static class QuotaTestKit
{
    public static async Task<JsonElement> PutQuotaOkAsync(this TestCaller admin, string path, object body)
    {
        var response = await admin.Client.PutAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetOkAsync(this TestCaller caller, string path)
    {
        var response = await caller.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Dictionary<string, object?> Ask(string agentId, string text = "hello there", bool stream = false, int? maxTokens = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = agentId,
            ["messages"] = new[] { new { role = "user", content = text } },
        };
        if (stream)
        {
            body["stream"] = true;
        }

        if (maxTokens is not null)
        {
            body["max_tokens"] = maxTokens;
        }

        return body;
    }

    /// <summary>The counter <paramref name="name"/> of the level <paramref name="level"/> in a <c>GET /v1/usage</c> body.</summary>
    public static JsonElement Counter(JsonElement usage, string level, string name) =>
        usage.GetProperty("levels").EnumerateArray()
            .First(l => l.GetProperty("level").GetString() == level)
            .GetProperty("limits").EnumerateArray()
            .First(c => c.GetProperty("name").GetString() == name);

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

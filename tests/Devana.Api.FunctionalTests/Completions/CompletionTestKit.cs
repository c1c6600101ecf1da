using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>Helpers shared by the completion and conversation tests.</summary>
public static class CompletionTestKit
{
    public static async Task<string> CreateAgentAsync(this TestCaller caller, object body)
    {
        var response = await caller.Client.PostAsJsonAsync("/v1/agents", body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> CompleteAsync(this TestCaller caller, object body, string path = "/completions") =>
        caller.Client.PostAsJsonAsync(path, body);

    public static async Task<JsonElement> CompleteOkAsync(this TestCaller caller, object body)
    {
        var response = await caller.CompleteAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The OpenAI .NET SDK's ChatClient, pointed at the test server's <c>/v1</c> with the caller's token.</summary>
    public static ChatClient SdkChatClient(this DevanaApiFactory factory, TestCaller caller, string agentId)
    {
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        };
        return new ChatClient(agentId, new ApiKeyCredential(token), options);
    }

    /// <summary>Reads an SSE body into its data payloads (without the <c>data: </c> prefix) and its comment lines.</summary>
    public static async Task<(List<string> Data, List<string> Comments)> ReadSseAsync(HttpResponseMessage response)
    {
        var data = new List<string>();
        var comments = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
            else if (line.StartsWith(':'))
            {
                comments.Add(line);
            }
        }

        return (data, comments);
    }

    public static IEnumerable<JsonElement> Requests(this FakeOpenAiUpstream upstream) => upstream.Requests.ToArray();

    public static List<(string Role, string Content)> MessagesOf(JsonElement upstreamRequest) =>
        upstreamRequest.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").ValueKind == JsonValueKind.String
                ? m.GetProperty("content").GetString()!
                : string.Concat(m.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("text").GetString()))))
            .ToList();
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// The fakes themselves: each refuses what its provider's documentation refuses, with the documented error,
/// so that a client sending the wrong header or field fails its tests instead of passing them.
/// </summary>
public sealed class UpstreamWireTests
{
    private const string Key = "sk-ant-test-key-000000000000";
    private const string AnthropicBody = """{"model": "claude-x", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}""";

    [Fact]
    public async Task Anthropic_WithTheKeyAsABearerTokenAndVersion20261021_RefusesWithInvalidXApiKey()
    {
        // What the 13.x SDK sends by default.
        var (status, body) = await SendAsync(new AnthropicWire(Key), "/v1/messages", AnthropicBody, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            request.Headers.Add("anthropic-version", "2026-10-21");
        });

        status.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("type").GetString().Should().Be("error");
        body.GetProperty("error").GetProperty("type").GetString().Should().Be("authentication_error");
        body.GetProperty("error").GetProperty("message").GetString().Should().Be("x-api-key header is required");
    }

    [Theory]
    [InlineData(null, "anthropic-version: header is required")]
    [InlineData("2024-01-01", "anthropic-version: '2024-01-01' is not a valid version")]
    public async Task Anthropic_WithoutAListedVersion_RefusesWithInvalidRequest(string? version, string message)
    {
        var (status, body) = await SendAsync(new AnthropicWire(Key), "/v1/messages", AnthropicBody, request =>
        {
            request.Headers.Add("x-api-key", Key);
            if (version is not null)
            {
                request.Headers.Add("anthropic-version", version);
            }
        });

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("type").GetString().Should().Be("invalid_request_error");
        body.GetProperty("error").GetProperty("message").GetString().Should().Be(message);
    }

    [Theory]
    [InlineData("2023-06-01", """{"model": "claude-x", "messages": [{"role": "user", "content": "Hi"}]}""", "max_tokens: Field required")]
    [InlineData("2023-06-01", """{"model": "claude-x", "max_tokens": 16, "messages": [{"role": "system", "content": "Hi"}]}""", "messages: each message")]
    [InlineData("2023-06-01", """{"model": "claude-x", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}], "stop": ["x"]}""", "stop: Extra inputs are not permitted")]
    [InlineData("2026-10-21", """{"model": "claude-x", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}], "temperature": 1.0}""", "temperature: Extra inputs are not permitted")]
    public async Task Anthropic_WithABodyTheReferenceRefuses_RefusesWithInvalidRequest(string version, string json, string message)
    {
        var (status, body) = await SendAsync(new AnthropicWire(Key), "/v1/messages", json, request =>
        {
            request.Headers.Add("x-api-key", Key);
            request.Headers.Add("anthropic-version", version);
        });

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("message").GetString().Should().StartWith(message);
    }

    [Fact]
    public async Task OpenAI_WithTheKeyInXApiKey_RefusesWithTheDocumented401()
    {
        var (status, body) = await SendAsync(new OpenAIWire(Key), "/v1/chat/completions",
            """{"model": "gpt-x", "messages": [{"role": "user", "content": "Hi"}]}""", request => request.Headers.Add("x-api-key", Key));

        status.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("error").GetProperty("type").GetString().Should().Be("invalid_request_error");
        body.GetProperty("error").GetProperty("message").GetString().Should().StartWith("You didn't provide an API key");
    }

    [Fact]
    public async Task OpenAI_WithAWrongKey_RefusesWithInvalidApiKeyAndMasksIt()
    {
        var (status, body) = await SendAsync(new OpenAIWire(Key), "/v1/chat/completions",
            """{"model": "gpt-x", "messages": [{"role": "user", "content": "Hi"}]}""",
            request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong-000000000000"));

        status.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_api_key");
        body.GetProperty("error").GetProperty("message").GetString().Should().NotContain("sk-wrong-000000000000");
    }

    [Theory]
    [InlineData("""{"model": "gpt-x", "messages": [{"role": "user", "content": "Hi"}], "stream_options": {"include_usage": true}}""", "The 'stream_options' parameter")]
    [InlineData("""{"model": "gpt-x", "messages": [{"role": "user", "content": "Hi"}], "max_output_tokens": 5}""", "Unrecognized request argument supplied: max_output_tokens")]
    [InlineData("""{"messages": [{"role": "user", "content": "Hi"}]}""", "you must provide a model parameter")]
    public async Task OpenAI_WithABodyTheReferenceRefuses_RefusesWith400(string json, string message)
    {
        var (status, body) = await SendAsync(new OpenAIWire(Key), "/v1/chat/completions", json,
            request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key));

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("message").GetString().Should().StartWith(message);
    }

    [Theory]
    [InlineData("/api/generate", """{"model": "llama"}""", HttpStatusCode.NotFound)]
    [InlineData("/api/chat", """{"messages": []}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/chat", """{"model": "llama", "messages": [{"role": "user", "content": ["Hi"]}]}""", HttpStatusCode.BadRequest)]
    public async Task Ollama_WithARequestItsApiRefuses_RefusesWithAnErrorString(string path, string json, HttpStatusCode expected)
    {
        var (status, body) = await SendAsync(new OllamaWire(apiKey: null), path, json, _ => { });

        status.Should().Be(expected);
        body.GetProperty("error").ValueKind.Should().Be(JsonValueKind.String);
    }

    [Fact]
    public async Task Ollama_WithAKeyExpectedAndNoneSent_RefusesWithUnauthorized()
    {
        var (status, body) = await SendAsync(new OllamaWire(Key), "/api/chat", """{"model": "llama", "messages": []}""", _ => { });

        status.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("error").GetString().Should().Be("unauthorized");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(UpstreamWire wire, string path, string json, Action<HttpRequestMessage> headers)
    {
        await using var fake = await FakeUpstream.StartAsync(wire);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.Root, path.TrimStart('/')))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        headers(request);
        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        fake.Refused.Should().ContainSingle();
        return (response.StatusCode, body);
    }
}

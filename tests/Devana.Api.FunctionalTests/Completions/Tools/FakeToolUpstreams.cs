using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Api.FunctionalTests.Completions.Tools;

/// <summary>
/// One local server speaking three providers' chat wire formats, written from their documentation:
/// OpenAI (<c>POST /openai/v1/chat/completions</c>, Bearer key, JSON or SSE with tool-call deltas),
/// Anthropic (<c>POST /anthropic/v1/messages</c>, <c>x-api-key</c> and <c>anthropic-version</c> required,
/// <c>tool_use</c>/<c>tool_result</c> blocks) and Ollama (<c>POST /ollama/api/chat</c>, <c>tool_calls</c> with
/// object arguments, NDJSON when streaming). Each behaves like a model that: calls the first offered tool
/// with <c>{"city": "Paris"}</c> when the last message is the user's; answers "Sunny: &lt;result&gt;" after a
/// tool result; answers a JSON object under a json_schema response format; counts the images it is shown.
/// </summary>
public sealed class FakeToolUpstreams : IAsyncDisposable
{
    public const string ApiKey = "sk-fake-tools";
    public const string ToolArguments = """{"city":"Paris"}""";

    private readonly WebApplication _app;

    private FakeToolUpstreams(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Wire, JsonElement Body)> Requests { get; } = new();

    /// <summary>Set to answer the next requests with this status (an error body in the wire's shape) instead.</summary>
    public int? FailWith { get; set; }

    public string BaseUrl { get; private set; } = string.Empty;

    public JsonElement[] RequestsOf(string wire) => Requests.Where(r => r.Wire == wire).Select(r => r.Body).ToArray();

    public void Reset()
    {
        Requests.Clear();
        FailWith = null;
    }

    public static async Task<FakeToolUpstreams> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeToolUpstreams(app);
        app.MapPost("/openai/v1/chat/completions", fake.OpenAiAsync);
        app.MapPost("/anthropic/v1/messages", fake.AnthropicAsync);
        app.MapPost("/ollama/api/chat", fake.OllamaAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonElement> ReadAsync(HttpContext http, string wire)
    {
        using var document = await JsonDocument.ParseAsync(http.Request.Body);
        var body = document.RootElement.Clone();
        Requests.Enqueue((wire, body));
        return body;
    }

    // OpenAI: https://platform.openai.com/docs/api-reference/chat
    private async Task OpenAiAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsJsonAsync(new { error = new { message = "Incorrect API key provided.", type = "invalid_request_error", code = "invalid_api_key" } });
            return;
        }

        var request = await ReadAsync(http, "openai");
        if (FailWith is { } status)
        {
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(new { error = new { message = $"fake failure {status}", type = "server_error" } });
            return;
        }

        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        var last = messages[^1];
        var tools = request.TryGetProperty("tools", out var t) ? t.EnumerateArray().ToList() : [];
        var model = request.GetProperty("model").GetString();
        string? text = null;
        string? toolName = null;
        if (last.GetProperty("role").GetString() == "tool")
        {
            text = $"Sunny: {last.GetProperty("content").GetString()}";
        }
        else if (tools.Count > 0 && !(request.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.String && choice.GetString() == "none"))
        {
            toolName = tools[0].GetProperty("function").GetProperty("name").GetString();
        }
        else if (request.TryGetProperty("response_format", out var format) && format.GetProperty("type").GetString() == "json_schema")
        {
            text = """{"city":"Paris","temperature":18}""";
        }
        else
        {
            var images = last.GetProperty("content").ValueKind == JsonValueKind.Array
                ? last.GetProperty("content").EnumerateArray().Count(p => p.GetProperty("type").GetString() == "image_url")
                : 0;
            text = images > 0 ? $"I see {images} images" : "plain answer";
        }

        var stream = request.TryGetProperty("stream", out var s) && s.GetBoolean();
        var usage = new { prompt_tokens = 20, completion_tokens = 5, total_tokens = 25 };
        if (!stream)
        {
            object message = toolName is null
                ? new { role = "assistant", content = text }
                : new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = "call_fake1", type = "function", function = new { name = toolName, arguments = ToolArguments } } } };
            await http.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-tools",
                @object = "chat.completion",
                created = 1764000000,
                model,
                choices = new[] { new { index = 0, message, finish_reason = toolName is null ? "stop" : "tool_calls", logprobs = LogprobsFor(request, text) } },
                usage,
            });
            return;
        }

        http.Response.ContentType = "text/event-stream";
        object Chunk(object delta, string? finish) => new { id = "chatcmpl-tools", @object = "chat.completion.chunk", created = 1764000000, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };
        if (toolName is null)
        {
            await SseAsync(http, Chunk(new { role = "assistant", content = text }, null));
        }
        else
        {
            // The documented shape: id, type and name first with empty arguments, then the arguments in pieces.
            await SseAsync(http, Chunk(new { role = "assistant", content = (string?)null, tool_calls = new[] { new { index = 0, id = "call_fake1", type = "function", function = new { name = toolName, arguments = string.Empty } } } }, null));
            foreach (var piece in new[] { ToolArguments[..5], ToolArguments[5..11], ToolArguments[11..] })
            {
                await SseAsync(http, Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = piece } } } }, null));
            }
        }

        await SseAsync(http, Chunk(new { }, toolName is null ? "stop" : "tool_calls"));
        await SseAsync(http, new { id = "chatcmpl-tools", @object = "chat.completion.chunk", created = 1764000000, model, choices = Array.Empty<object>(), usage });
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    // Anthropic: https://docs.anthropic.com/en/api/messages and the tool-use guide.
    private async Task AnthropicAsync(HttpContext http)
    {
        // The documented header is x-api-key; the official SDK (13.x) sends the key as a bearer token, which the API also takes.
        var key = http.Request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey ? apiKey : http.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        if (key != ApiKey || string.IsNullOrEmpty(http.Request.Headers["anthropic-version"]))
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsJsonAsync(new { type = "error", error = new { type = "authentication_error", message = "invalid x-api-key" } });
            return;
        }

        var request = await ReadAsync(http, "anthropic");
        if (!request.TryGetProperty("max_tokens", out _))
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { type = "error", error = new { type = "invalid_request_error", message = "max_tokens: Field required" } });
            return;
        }

        var last = request.GetProperty("messages").EnumerateArray().Last();
        var blocks = last.GetProperty("content").ValueKind == JsonValueKind.Array ? last.GetProperty("content").EnumerateArray().ToList() : [];
        var result = blocks.FirstOrDefault(b => b.GetProperty("type").GetString() == "tool_result");
        var tools = request.TryGetProperty("tools", out var t) ? t.EnumerateArray().ToList() : [];
        object content = result.ValueKind == JsonValueKind.Object
            ? new object[] { new { type = "text", text = $"Sunny: {TextOf(result.GetProperty("content"))}" } }
            : tools.Count > 0
                ? new object[] { new { type = "tool_use", id = "toolu_fake1", name = tools[0].GetProperty("name").GetString(), input = JsonNode.Parse(ToolArguments) } }
                : new object[] { new { type = "text", text = "plain answer" } };
        await http.Response.WriteAsJsonAsync(new
        {
            id = "msg_fake",
            type = "message",
            role = "assistant",
            model = request.GetProperty("model").GetString(),
            content,
            stop_reason = result.ValueKind != JsonValueKind.Object && tools.Count > 0 ? "tool_use" : "end_turn",
            stop_sequence = (string?)null,
            usage = new { input_tokens = 30, output_tokens = 7 },
        });
    }

    // Ollama: https://github.com/ollama/ollama/blob/main/docs/api.md#chat-request-with-tools
    private async Task OllamaAsync(HttpContext http)
    {
        var request = await ReadAsync(http, "ollama");
        var last = request.GetProperty("messages").EnumerateArray().Last();
        var tools = request.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().ToList() : [];
        object message = last.GetProperty("role").GetString() == "tool"
            ? new { role = "assistant", content = $"Sunny: {last.GetProperty("content").GetString()}" }
            : tools.Count > 0
                ? new { role = "assistant", content = string.Empty, tool_calls = new[] { new { function = new { name = tools[0].GetProperty("function").GetProperty("name").GetString(), arguments = JsonNode.Parse(ToolArguments) } } } }
                : new { role = "assistant", content = "plain answer" };
        var reply = new
        {
            model = request.GetProperty("model").GetString(),
            created_at = "2026-12-02T00:00:00Z",
            message,
            done = true,
            done_reason = "stop",
            prompt_eval_count = 25,
            eval_count = 6,
        };
        var stream = !request.TryGetProperty("stream", out var s) || s.GetBoolean();
        http.Response.ContentType = stream ? "application/x-ndjson" : "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(reply) + (stream ? "\n" : string.Empty));
    }

    /// <summary>With <c>logprobs: true</c>, one entry per word of the answer (and <c>top_logprobs</c> alternatives).</summary>
    private static object? LogprobsFor(JsonElement request, string? text)
    {
        if (text is null || !request.TryGetProperty("logprobs", out var asked) || !asked.GetBoolean())
        {
            return null;
        }

        var top = request.TryGetProperty("top_logprobs", out var t) ? t.GetInt32() : 0;
        return new
        {
            content = text.Split(' ').Select((word, i) => new
            {
                token = word,
                logprob = -0.5 * (i + 1),
                bytes = Encoding.UTF8.GetBytes(word).Select(b => (int)b).ToArray(),
                top_logprobs = Enumerable.Range(0, top).Select(k => new { token = $"{word}{k}", logprob = -1.0 - k, bytes = Encoding.UTF8.GetBytes($"{word}{k}").Select(b => (int)b).ToArray() }).ToArray(),
            }).ToArray(),
        };
    }

    private static string TextOf(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(b => b.TryGetProperty("text", out var x) ? x.GetString() : string.Empty));

    private static async Task SseAsync(HttpContext http, object payload)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n", Encoding.UTF8);
        await http.Response.Body.FlushAsync();
    }
}

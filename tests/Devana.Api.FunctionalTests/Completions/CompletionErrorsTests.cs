using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.Completions;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Devana.Api.FunctionalTests.Completions;

public sealed class CompletionErrorsTests : IClassFixture<CompletionsFactory>
{
    private readonly CompletionsFactory _factory;

    public CompletionErrorsTests(CompletionsFactory factory)
    {
        _factory = factory;
        _factory.Upstream.Reset();
    }

    private static Dictionary<string, object?> Body(string agentId, params (string Key, object? Value)[] fields)
    {
        var body = new Dictionary<string, object?> { ["model"] = agentId, ["messages"] = new[] { new { role = "user", content = "hi" } } };
        foreach (var (key, value) in fields)
        {
            body[key] = value;
        }

        return body;
    }

    private async Task<(TestCaller Caller, string AgentId)> SetupAsync()
    {
        var caller = await _factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Guarded", model = "fake-large", allowed_models = new[] { "fake-large", "echo" } });
        return (caller, agentId);
    }

    private static async Task<int> SdkStatusAsync(Func<Task> call)
    {
        var exception = await call.Should().ThrowAsync<ClientResultException>();
        return exception.Which.Status;
    }

    [Fact]
    public void MvcDoesNotWalkTheBody_TheCommandsValidatorOwnsItsRules()
    {
        var metadata = _factory.Services.GetRequiredService<IModelMetadataProvider>().GetMetadataForType(typeof(ChatCompletionRequest));

        metadata.ValidateChildren.Should().BeFalse();
        metadata.Properties.Should().NotContain(property => property.ValidatorMetadata.Count > 0, "a validation attribute here would never run");
        // A body the JSON reader cannot take is still a 400 naming the field: WrongTypes_Are400NamingTheField.
    }

    [Fact]
    public async Task UnknownAgent_Is404ModelNotFound_AlsoThroughTheSdk()
    {
        var (caller, _) = await SetupAsync();

        var response = await caller.CompleteAsync(Body("no-such-agent"));

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found", "model");
        (await SdkStatusAsync(() => _factory.SdkChatClient(caller, "no-such-agent").CompleteChatAsync([new UserChatMessage("hi")]))).Should().Be(404);
    }

    [Fact]
    public async Task AgentOfAnotherWorkspace_Is404()
    {
        var (_, agentId) = await SetupAsync();
        var stranger = await _factory.CreateUserAsync(workspace: "other");

        var response = await stranger.CompleteAsync(Body(agentId));

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "model_not_found");
    }

    [Fact]
    public async Task AnotherUsersPrivateAgent_Is403AccessDenied()
    {
        var (_, agentId) = await SetupAsync();
        var colleague = await _factory.CreateUserAsync();

        var response = await colleague.CompleteAsync(Body(agentId));

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        (await SdkStatusAsync(() => _factory.SdkChatClient(colleague, agentId).CompleteChatAsync([new UserChatMessage("hi")]))).Should().Be(403);
    }

    [Fact]
    public async Task WorkspaceAgent_IsUsableByColleagues()
    {
        var owner = await _factory.CreateUserAsync();
        var agentId = await owner.CreateAgentAsync(new { name = "Shared", visibility = "workspace" });
        var colleague = await _factory.CreateUserAsync();

        var response = await colleague.CompleteAsync(Body(agentId));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TokenWithoutCompletionsScope_Is403InsufficientScope()
    {
        var (caller, agentId) = await SetupAsync();
        var limited = await _factory.CreateMachineClientAsync(scopes: ["agents"]);

        var response = await limited.CompleteAsync(Body(agentId));

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
    }

    [Fact]
    public async Task NoToken_Is401()
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/completions", Body("x"));

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        response.Headers.WwwAuthenticate.Should().Contain(h => h.Scheme == "Bearer");
    }

    public static TheoryData<string, object?, string> BadValues() => new()
    {
        { "temperature", 1.5, "temperature" },
        { "temperature", -0.1, "temperature" },
        { "top_p", 2, "top_p" },
        { "n", 0, "n" },
        { "n", 9, "n" },
        { "stop", new[] { "a", "b", "c", "d", "e" }, "stop" },
        { "lang", "xx", "lang" },
        { "lang", "french", "lang" },
        { "max_tokens", 0, "max_tokens" },
        { "max_tokens", 5000, "max_tokens" },
        { "response_format", new { type = "xml" }, "response_format" },
        { "stream_options", new { include_usage = true }, "stream_options" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task InvalidParameter_Is400NamingIt(string field, object? value, string param)
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(Body(agentId, (field, value)));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: param);
    }

    [Fact]
    public async Task Temperature15_SurfacesThroughTheSdkAs400()
    {
        var (caller, agentId) = await SetupAsync();
        var options = new ChatCompletionOptions { Temperature = 1.5f };

        (await SdkStatusAsync(() => _factory.SdkChatClient(caller, agentId).CompleteChatAsync([new UserChatMessage("hi")], options))).Should().Be(400);
    }

    [Fact]
    public async Task NoMessages_Is400()
    {
        var (caller, agentId) = await SetupAsync();

        var missing = await caller.CompleteAsync(new { model = agentId });
        var empty = await caller.CompleteAsync(new { model = agentId, messages = Array.Empty<object>() });

        await missing.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "messages");
        await empty.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages");
    }

    [Fact]
    public async Task LastMessageNotFromUser_Is400()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = "hi" }, new { role = "assistant", content = "hello" } } });

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages");
    }

    [Fact]
    public async Task UnsupportedRole_Is400NamingTheMessage()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "wizard", content = "hi" }, new { role = "user", content = "hi" } } });

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "unknown_parameter_value", "messages[0].role");
    }

    [Fact]
    public async Task ImageContentPart_WithAPlainHttpUrl_Is400NamingTheUrl()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "http://x" } } } } } });

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "messages[0].content[0].image_url.url");
    }

    private const string ContentParts = "must hold only {\"type\": \"text\", \"text\": \"…\"} and {\"type\": \"image_url\", \"image_url\": {\"url\": \"…\"}} parts";

    [Fact]
    public async Task UnknownContentPart_Is400NamingTheContent_AndThePartsType()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = new object[] { new { type = "input_audio", input_audio = new { data = "AAAA", format = "wav" } } } } } });

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "messages[0].content");
        error.GetProperty("message").GetString().Should().Be($"messages[0].content {ContentParts}; part 0 is of type 'input_audio', which Devana does not take.");
    }

    public static TheoryData<string, string, string> MisshapenFields() => new()
    {
        { """{"model":"{agent}","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"file","file":{"file_id":"f"}}]}]}""", "messages[0].content", $"messages[0].content {ContentParts}; part 1 is of type 'file', which Devana does not take." },
        { """{"model":"{agent}","messages":[{"role":"user","content":[{"type":"text"}]}]}""", "messages[0].content", $"messages[0].content {ContentParts}; part 0 has no text string." },
        { """{"model":"{agent}","messages":[{"role":"user","content":[{"type":"image_url","image_url":"https://x/a.png"}]}]}""", "messages[0].content", $"messages[0].content {ContentParts}; part 0 has no image_url.url string." },
        { """{"model":"{agent}","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", "messages[0].content", $"messages[0].content {ContentParts}; part 0 has no type." },
        { """{"model":"{agent}","messages":[{"role":"user","content":["hi"]}]}""", "messages[0].content", $"messages[0].content {ContentParts}; part 0 is not an object." },
        { """{"model":"{agent}","messages":[{"role":"user","content":7}]}""", "messages[0].content", "messages[0].content must be a string or an array of content parts." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"stop":["a",1]}""", "stop", "stop must be a string or an array of strings." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}""", "tool_choice", "tool_choice must be none, auto, required or {\"type\": \"function\", \"function\": {\"name\": \"…\"}}." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{}}}""", "tool_choice", "tool_choice must be {\"type\": \"function\", \"function\": {\"name\": \"…\"}} (with a name) when it is an object." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"temperature":"warm"}""", "temperature", "temperature has the wrong type or value." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"functions":[{"name":"f","parameters":{}}]}""", "functions", "functions is OpenAI's deprecated function calling, which Devana does not take: send tools instead." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"function_call":"auto"}""", "function_call", "function_call is OpenAI's deprecated function calling, which Devana does not take: send tool_choice instead." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"modalities":["text","audio"]}""", "modalities", "modalities must be [\"text\"]: Devana answers in text only." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"modalities":"text"}""", "modalities", "modalities must be [\"text\"]: Devana answers in text only." },
        { """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"audio":{"voice":"alloy","format":"wav"}}""", "audio", "audio is not taken: Devana answers in text only." },
    };

    [Fact]
    public async Task TextModality_AndNullsInTheRefusedFields_AreTaken()
    {
        var (caller, agentId) = await SetupAsync();
        const string Json = """{"model":"{agent}","messages":[{"role":"user","content":"hi"}],"modalities":["text"],"functions":null,"function_call":null,"audio":null,"logit_bias":{"50256":-100},"store":false}""";

        using var body = new StringContent(Json.Replace("{agent}", agentId, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var response = await caller.Client.PostAsync("/v1/chat/completions", body);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().NotBeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(MisshapenFields))]
    public async Task MisshapenField_Is400SayingWhatTheFieldMustBe(string json, string param, string message)
    {
        var (caller, agentId) = await SetupAsync();

        using var body = new StringContent(json.Replace("{agent}", agentId, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var response = await caller.Client.PostAsync("/v1/chat/completions", body);

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", param);
        error.GetProperty("message").GetString().Should().Be(message);
    }

    [Fact]
    public async Task UnknownClientModel_Is400()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(Body(agentId, ("clientModel", "gpt-99")));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "clientModel");
    }

    [Fact]
    public async Task ClientModelOutsideAllowedModels_Is403ModelNotAllowed()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(Body(agentId, ("clientModel", "fake-small")));

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed");
    }

    [Fact]
    public async Task UnknownOrForeignConversation_Is404()
    {
        var (caller, agentId) = await SetupAsync();
        var other = await _factory.CreateUserAsync();
        var otherAgent = await other.CreateAgentAsync(new { name = "Other's" });
        var othersConversation = (await other.CompleteOkAsync(Body(otherAgent))).GetProperty("conversation_id").GetString();

        var unknown = await caller.CompleteAsync(Body(agentId, ("conversation_id", "conv_doesnotexist")));
        var foreign = await caller.CompleteAsync(Body(agentId, ("conversation_id", othersConversation)));

        await unknown.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
        await foreign.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "conversation_not_found");
    }

    [Fact]
    public async Task ConversationOfAnotherAgent_Is400()
    {
        var (caller, agentId) = await SetupAsync();
        var secondAgent = await caller.CreateAgentAsync(new { name = "Second" });
        var conversationId = (await caller.CompleteOkAsync(Body(secondAgent))).GetProperty("conversation_id").GetString();

        var response = await caller.CompleteAsync(Body(agentId, ("conversation_id", conversationId)));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "conversation_id");
    }

    [Fact]
    public async Task UnknownFile_Is400NamingFiles()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.CompleteAsync(Body(agentId, ("files", new[] { "file_doesnotexist" })));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "files");
    }

    [Fact]
    public async Task BodyOverOneMegabyte_Is413()
    {
        var (caller, agentId) = await SetupAsync();
        var big = new string('x', 1_100_000);

        var response = await caller.CompleteAsync(new { model = agentId, messages = new[] { new { role = "user", content = big } } });

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large");
    }

    [Fact]
    public async Task WrongTypes_Are400NamingTheField()
    {
        var (caller, agentId) = await SetupAsync();

        var response = await caller.Client.PostAsync("/completions", new StringContent($"{{\"model\":\"{agentId}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],\"n\":\"two\"}}", Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "n");
    }

    [Fact]
    public async Task MalformedJson_Is400InvalidJson()
    {
        var (caller, _) = await SetupAsync();

        var response = await caller.Client.PostAsync("/completions", new StringContent("{\"model\":", Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_json");
    }
}

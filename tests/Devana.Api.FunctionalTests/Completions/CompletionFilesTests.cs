using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Files;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>Files in completions: the request's <c>files</c> and the agent's knowledge files reach the prompt.</summary>
public sealed class CompletionFilesTests : IClassFixture<CompletionsFactory>
{
    private readonly CompletionsFactory _factory;

    public CompletionFilesTests(CompletionsFactory factory)
    {
        _factory = factory;
        _factory.Upstream.Reset();
    }

    private static async Task<string> UploadAsync(TestCaller caller, string filename, string text)
    {
        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form(filename, Encoding.UTF8.GetBytes(text), "text/plain"));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(body);
        using var document = JsonDocument.Parse(body);
        document.RootElement.GetProperty("status").GetString().Should().Be("processed");
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private static string SystemPromptOf(JsonElement upstreamRequest) =>
        CompletionTestKit.MessagesOf(upstreamRequest).First(m => m.Role == "system").Content;

    /// <summary>Thousands of words of filler with one fact deep inside.</summary>
    private static string HaystackWith(string fact)
    {
        var filler = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            filler.Append($"Paragraph {i} describes routine maintenance of the cooling pumps and the weekly inventory of spare parts. ");
            if (i == 333)
            {
                filler.Append(fact).Append(' ');
            }
        }

        return filler.ToString();
    }

    [Fact]
    public async Task RequestFiles_SmallFile_IsPutInTheSystemPromptWhole_AndListedInDebugSources()
    {
        var caller = await _factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Reader", model = "fake-large" });
        var fileId = await UploadAsync(caller, "policy.txt", "Refunds are accepted within 30 days of purchase.");

        var body = await caller.CompleteOkAsync(new { model = agentId, files = new[] { fileId }, messages = new[] { new { role = "user", content = "How long do refunds take?" } } });

        SystemPromptOf(_factory.Upstream.Requests().Single()).Should().Contain("Refunds are accepted within 30 days of purchase.");
        var source = body.GetProperty("debug").GetProperty("sources")[0];
        source.GetProperty("file_id").GetString().Should().Be(fileId);
        source.GetProperty("filename").GetString().Should().Be("policy.txt");
        source.GetProperty("excerpt").GetString().Should().NotBeNullOrEmpty();
        var messages = await caller.Client.GetFromJsonAsync<JsonElement>($"/v1/conversations/{body.GetProperty("conversation_id").GetString()}/messages");
        messages.GetProperty("data")[0].GetProperty("file_ids").EnumerateArray().Select(f => f.GetString()).Should().Equal(fileId);
    }

    [Fact]
    public async Task RequestFiles_AnswerDeepInsideAFileOverTheBudget_ReachesTheUpstreamInTheRelevantChunk()
    {
        var caller = await _factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Searcher", model = "fake-medium" });
        var haystack = HaystackWith("The secret launch code of the Kestrel rocket is ZEBRA-42.");
        var fileId = await UploadAsync(caller, "manual.txt", haystack);

        await caller.CompleteOkAsync(new { model = agentId, files = new[] { fileId }, max_tokens = 50, messages = new[] { new { role = "user", content = "What is the secret launch code of the Kestrel rocket?" } } });

        var system = SystemPromptOf(_factory.Upstream.Requests().Single());
        system.Should().Contain("ZEBRA-42");
        system.Length.Should().BeLessThan(haystack.Length / 2, "only the relevant chunks fit the 2,000-token window");
    }

    [Fact]
    public async Task AgentKnowledgeFiles_ReachThePrompt_AndCanBeDetached()
    {
        var owner = await _factory.CreateUserAsync();
        var agentId = await owner.CreateAgentAsync(new { name = "Expert", model = "fake-large", visibility = "workspace" });
        var fileId = await UploadAsync(owner, "facts.md", "# Facts\nThe office cat is called Marmalade.");

        var attached = await owner.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = new[] { fileId } });
        (await attached.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("file_ids").EnumerateArray().Select(f => f.GetString()).Should().Equal(fileId);

        var colleague = await _factory.CreateUserAsync();
        var body = await colleague.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = "What is the cat called?" } } });
        SystemPromptOf(_factory.Upstream.Requests().Last()).Should().Contain("Marmalade");
        body.GetProperty("debug").GetProperty("sources")[0].GetProperty("file_id").GetString().Should().Be(fileId);

        (await owner.Client.DeleteAsync($"/v1/agents/{agentId}/files/{fileId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await colleague.CompleteOkAsync(new { model = agentId, messages = new[] { new { role = "user", content = "And now?" } } });
        CompletionTestKit.MessagesOf(_factory.Upstream.Requests().Last()).Should().NotContain(m => m.Content.Contains("Marmalade"));
    }

    [Fact]
    public async Task StreamedCompletion_CarriesDebugSourcesOnTheFinalChunk()
    {
        var caller = await _factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Streamer", model = "fake-large" });
        var fileId = await UploadAsync(caller, "note.txt", "The meeting is on Tuesday.");

        var response = await caller.CompleteAsync(new { model = agentId, stream = true, stream_options = new { include_usage = true }, files = new[] { fileId }, messages = new[] { new { role = "user", content = "When is the meeting?" } } });

        var (data, _) = await CompletionTestKit.ReadSseAsync(response);
        var final = JsonDocument.Parse(data[^2]).RootElement;
        final.GetProperty("debug").GetProperty("sources")[0].GetProperty("file_id").GetString().Should().Be(fileId);
    }

    [Fact]
    public async Task AttachFiles_RejectsUnknownAndOthersFiles_AndNonOwners()
    {
        var owner = await _factory.CreateUserAsync();
        var agentId = await owner.CreateAgentAsync(new { name = "Guarded", visibility = "workspace" });
        var other = await _factory.CreateUserAsync();
        var othersFile = await UploadAsync(other, "theirs.txt", "not yours");
        var ownFile = await UploadAsync(owner, "mine.txt", "mine");

        var unknown = await owner.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = new[] { "file_nope" } });
        var foreign = await owner.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = new[] { othersFile } });
        var empty = await owner.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = Array.Empty<string>() });
        var notOwner = await other.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = new[] { othersFile } });
        var detachUnknown = await owner.Client.DeleteAsync($"/v1/agents/{agentId}/files/{ownFile}");
        var noAgent = await owner.Client.PostAsJsonAsync("/v1/agents/no-such-agent/files", new { file_ids = new[] { ownFile } });

        await unknown.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "file_ids");
        await foreign.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "file_ids");
        await empty.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "file_ids");
        await notOwner.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "access_denied");
        await detachUnknown.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
        await noAgent.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
    }

    [Fact]
    public async Task RequestFiles_AnotherPrincipalsFile_Is400NamingFiles()
    {
        var owner = await _factory.CreateUserAsync();
        var fileId = await UploadAsync(owner, "private.txt", "secret");
        var other = await _factory.CreateUserAsync();
        var agentId = await other.CreateAgentAsync(new { name = "Other" });

        var response = await other.CompleteAsync(new { model = agentId, files = new[] { fileId }, messages = new[] { new { role = "user", content = "read it" } } });

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "files");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Completions;
using Devana.Api.FunctionalTests.Files;
using Devana.Api.FunctionalTests.Infrastructure;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Files;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Gaps;

/// <summary>
/// A host whose database can be made to fail the next save of a new file (<see cref="FailNextFileSave"/>),
/// with a fake upstream to see the prompt an agent's knowledge goes into.
/// </summary>
public sealed class FileGapFactory : FakeUpstreamApiFactory
{
    private readonly FailingFileSave _failure = new();

    public string StoragePath => Path.Combine(DataDirectory, "files");

    /// <summary>Every object the storage holds.</summary>
    public IReadOnlyList<string> StoredObjects() =>
        Directory.Exists(StoragePath) ? Directory.GetFiles(StoragePath, "*", SearchOption.AllDirectories) : [];

    /// <summary>The next <c>SaveChanges</c> that adds a file throws, as a database that went away would.</summary>
    public void FailNextFileSave() => _failure.Armed = true;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Files:StoragePath"] = StoragePath;
        settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(_failure));
    }

    private sealed class FailingFileSave : SaveChangesInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<StoredFile>().Any(e => e.State == EntityState.Added))
            {
                Armed = false;
                throw new DbUpdateException("Injected: the database failed while saving the file's row.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

/// <summary>Files: a file deleted while an agent holds it, and a database failure after a file's bytes are stored.</summary>
public sealed class FileGapTests(FileGapFactory factory) : IClassFixture<FileGapFactory>
{
    private const string Fact = "The office cat is called Marmalade.";

    [Fact]
    public async Task DeletingAFileAnAgentHolds_TakesItOutOfTheAgentsKnowledge_AndItsCompletionsGoOnWithoutIt()
    {
        factory.Upstream.Reset();
        var caller = await factory.CreateUserAsync();
        var fileId = await UploadAsync(caller, "cat.txt", Fact);
        var agentId = await caller.CreateAgentAsync(new { name = "Knows the cat", model = "fake-large", file_ids = new[] { fileId } });
        await caller.CompleteOkAsync(Ask(agentId, "What is the cat called?"));
        SystemPromptOf(factory.Upstream.Requests().Last()).Should().Contain("Marmalade", "the agent's knowledge is in its prompt");

        var deleted = await caller.Client.DeleteAsync($"/v1/files/{fileId}");

        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        var agent = await caller.GetOkAsync($"/v1/agents/{agentId}");
        agent.GetProperty("file_ids").GetArrayLength().Should().Be(0, "a deleted file is no longer the agent's knowledge");
        var answer = await caller.CompleteOkAsync(Ask(agentId, "What is the cat called now?"));
        answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("fake answer to: What is the cat called now?");
        SystemPromptOf(factory.Upstream.Requests().Last()).Should().NotContain("Marmalade", "the deleted file's text is gone from the prompt");
        var messages = await caller.GetOkAsync($"/v1/conversations/{answer.GetProperty("conversation_id").GetString()}/messages");
        messages.GetProperty("data").EnumerateArray().Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}")
            .Should().Equal("user:completed", "assistant:completed");
        var reattach = await caller.Client.PostAsJsonAsync($"/v1/agents/{agentId}/files", new { file_ids = new[] { fileId } });
        await reattach.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", param: "file_ids");
    }

    [Fact]
    public async Task DeletingAFileAnotherUsersAgentHolds_TakesItOutOfThatAgentToo()
    {
        var admin = await factory.CreateUserAsync(role: "admin");
        var member = await factory.CreateUserAsync();
        var memberAgent = await member.CreateAgentAsync(new { name = "Member's", model = "fake-large" });
        var fileId = await UploadAsync(admin, "shared.txt", Fact);
        // A workspace admin may change anyone's agent, so it can give the member's agent its own file.
        (await admin.Client.PostAsJsonAsync($"/v1/agents/{memberAgent}/files", new { file_ids = new[] { fileId } })).StatusCode.Should().Be(HttpStatusCode.OK);

        (await admin.Client.DeleteAsync($"/v1/files/{fileId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await member.GetOkAsync($"/v1/agents/{memberAgent}")).GetProperty("file_ids").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Upload_WhenTheDatabaseFailsAfterTheBytesAreStored_LeavesNeitherRowNorBytes_AndTheNextUploadWorks()
    {
        var caller = await factory.CreateUserAsync();
        var objectsBefore = factory.StoredObjects().Count;
        factory.FailNextFileSave();

        var failed = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("doomed.txt", Fact));

        await failed.ShouldBeErrorAsync(HttpStatusCode.InternalServerError, "server_error");
        factory.StoredObjects().Should().HaveCount(objectsBefore, "the bytes stored before the failure are removed");
        (await caller.GetOkAsync("/v1/files")).GetProperty("data").GetArrayLength().Should().Be(0);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            (await db.Files.CountAsync(f => f.OwnerId == caller.PrincipalId)).Should().Be(0);
            (await db.FileChunks.CountAsync(c => !db.Files.Any(f => f.Id == c.FileId))).Should().Be(0, "no chunk without its file");
        }

        var retried = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("doomed.txt", Fact));
        retried.StatusCode.Should().Be(HttpStatusCode.Created);
        factory.StoredObjects().Should().HaveCount(objectsBefore + 1);
    }

    private static async Task<string> UploadAsync(TestCaller caller, string name, string text)
    {
        var upload = await caller.Client.PostAsync("/v1/files", SampleFiles.Form(name, text));
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var file = await upload.Content.ReadFromJsonAsync<JsonElement>();
        file.GetProperty("status").GetString().Should().Be("processed");
        return file.GetProperty("id").GetString()!;
    }

    private static string SystemPromptOf(JsonElement upstreamRequest) =>
        string.Join("\n", CompletionTestKit.MessagesOf(upstreamRequest).Where(m => m.Role == "system").Select(m => m.Content));
}

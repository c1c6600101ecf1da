using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Devana.Api.FunctionalTests.Quotas.QuotaTestKit;

namespace Devana.Api.FunctionalTests.Completions;

/// <summary>
/// An open stream holds no database context (issue 12, "lean streams"): the request's context, which read the
/// agent and the conversation, is released once the handler hands the stream back, and the stream still stores
/// its answer at the end (through the writer's own context).
/// </summary>
public sealed class LeanStreamTests(LeanStreamTests.Factory factory) : IClassFixture<LeanStreamTests.Factory>
{
    [Fact]
    public async Task OpenStream_HasReleasedTheContextThatReadTheConversation_AndStillStoresItsAnswer()
    {
        factory.Upstream.Reset();
        var caller = await factory.CreateUserAsync();
        var agentId = await caller.CreateAgentAsync(new { name = "Lean", model = "fake-large" });
        var first = await caller.CompleteOkAsync(Ask(agentId, "first turn"));
        var conversationId = first.GetProperty("conversation_id").GetString();

        // The continuation reads the conversation through the request's context; its answer then holds after two words.
        factory.Reads.Clear();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Upstream.Behavior = _ => new FakeReply(["one", "two", "three", "four"]) { HoldUntil = hold.Task, HoldAt = 2 };
        var body = Ask(agentId, "second turn", stream: true);
        body["conversation_id"] = conversationId;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        using var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new List<string>();
        while (text.Count < 2 && await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (Content(line) is { Length: > 0 } word)
            {
                text.Add(word);
            }
        }

        // Mid-stream: the upstream holds, the caller's stream is open, and the context that read the conversation is gone.
        var readers = factory.Reads.ToArray();
        readers.Should().NotBeEmpty("the continuation read the conversation");
        foreach (var context in readers)
        {
            context.Invoking(c => c.ChangeTracker).Should().Throw<ObjectDisposedException>("an open stream holds no database context");
        }

        hold.SetResult();
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        text.AddRange(rest.Split('\n').Select(Content).Where(word => word is { Length: > 0 })!);
        string.Concat(text).Should().Be("one two three four", "the stream goes on after the context went");
        rest.Should().Contain("data: [DONE]");

        var stored = (await caller.GetOkAsync($"/v1/conversations/{conversationId}/messages")).GetProperty("data").EnumerateArray().ToList();
        stored.Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("status").GetString()}")
            .Should().Equal("user:completed", "assistant:completed", "user:completed", "assistant:completed");
        stored[^1].GetProperty("content").GetString().Should().Be("one two three four");
    }

    /// <summary>The text of an SSE line's first choice, or null when the line carries none.</summary>
    private static string? Content(string line)
    {
        if (!line.StartsWith("data: {", StringComparison.Ordinal))
        {
            return null;
        }

        var choices = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null;
    }

    public sealed class Factory : FakeUpstreamApiFactory
    {
        /// <summary>The contexts that read a conversation (a query on <c>Conversations</c>) since the last <c>Clear</c>.</summary>
        public ConcurrentBag<DbContext> Reads { get; } = [];

        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings["Devana:Llm:Providers:fake:Type"] = "OpenAI";
            settings["Devana:Llm:Providers:fake:BaseUrl"] = Upstream.BaseUrl;
            settings["Devana:Llm:Providers:fake:ApiKey"] = "sk-fake-upstream-key";
            return settings;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new ConversationReads(Reads)));
        }
    }

    private sealed class ConversationReads(ConcurrentBag<DbContext> reads) : DbCommandInterceptor
    {
        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } context && command.CommandText.Contains("FROM \"Conversations\"", StringComparison.Ordinal))
            {
                reads.Add(context);
            }

            return ValueTask.FromResult(result);
        }
    }
}

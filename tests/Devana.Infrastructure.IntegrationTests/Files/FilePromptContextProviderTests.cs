using System.Text;
using Devana.Application.Common.Exceptions;
using Devana.Application.Completions.Common;
using Devana.Application.Files.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class FilePromptContextProviderTests(FilesFixture fixture) : IClassFixture<FilesFixture>
{
    private const string Workspace = "ws_ctx";
    private static readonly WordTokenCounter s_words = new();

    private readonly string _owner = $"usr_{Guid.NewGuid():N}";

    private async Task<PromptContext> ContextAsync(string principalId, IReadOnlyList<string> requestFiles, string query, int budget, IReadOnlyList<string>? agentFiles = null, string workspaceId = Workspace)
    {
        await using var scope = fixture.ScopeOf(workspaceId, principalId);
        var provider = scope.ServiceProvider.GetRequiredService<IPromptContextProvider>();
        return await provider.GetContextAsync(new PromptContextRequest(agentFiles ?? [], requestFiles, query, budget), CancellationToken.None);
    }

    private Task<FileDto> UploadAsync(string filename, string text, string? owner = null, string workspaceId = Workspace) =>
        fixture.UploadAsync(workspaceId, owner ?? _owner, filename, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Deterministic filler prose that never uses the words the tests ask about.
    /// </summary>
    private static string Filler(int sentences, int seed)
    {
        string[] subjects = ["The committee", "Our team", "The river", "A traveller", "The museum", "Every gardener", "The orchestra", "A neighbour"];
        string[] verbs = ["admired", "painted", "measured", "described", "visited", "repaired", "photographed", "ignored"];
        string[] objects = ["the old bridge", "a quiet meadow", "the northern hills", "several lanterns", "the harbour wall", "a wooden fence", "the spring flowers", "an empty square"];
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            builder.Append(subjects[random.Next(subjects.Length)]).Append(' ')
                .Append(verbs[random.Next(verbs.Length)]).Append(' ')
                .Append(objects[random.Next(objects.Length)]).Append(i % 5 == 4 ? ".\n\n" : ". ");
        }

        return builder.ToString();
    }

    [Fact]
    public async Task GetContext_WhenFilesFitTheBudget_PutsThemInWhole()
    {
        var first = await UploadAsync("first.txt", "Alpha document body.\nIt has two lines.");
        var second = await UploadAsync("second.md", "# Beta\n\nSecond document body.");

        var context = await ContextAsync(_owner, [first.Id, second.Id], "anything", budget: 1000);

        context.Text.Should().Be(
            $"<document id=\"{first.Id}\" name=\"first.txt\">\nAlpha document body.\nIt has two lines.\n</document>\n\n" +
            $"<document id=\"{second.Id}\" name=\"second.md\">\n# Beta\n\nSecond document body.\n</document>");
        context.Sources.Should().Equal(
            new PromptSource(first.Id, "first.txt", "Alpha document body. It has two lines."),
            new PromptSource(second.Id, "second.md", "# Beta Second document body."));
    }

    [Fact]
    public async Task GetContext_WhenTheAnswerLiesDeepInAFileOverTheBudget_GivesTheChunkThatHoldsIt()
    {
        var text = Filler(400, seed: 1) + "The launch code for project Bluebird is PAPAYA-7731, kept in the blue safe. " + Filler(100, seed: 2);
        s_words.CountTokens(text).Should().BeGreaterThan(2000);
        var file = await UploadAsync("handbook.txt", text);

        var context = await ContextAsync(_owner, [file.Id], "What is the launch code for project Bluebird?", budget: 120);

        context.Text.Should().Contain("PAPAYA-7731");
        context.Text.Should().NotContain(text[..60], "the file is far over the budget, so it is not put in whole");
        s_words.CountTokens(context.Text).Should().BeLessThanOrEqualTo(120);
        context.Text.Should().StartWith($"<document id=\"{file.Id}\" name=\"handbook.txt\" excerpts=\"true\">");
        context.Sources.Should().Contain(s => s.FileId == file.Id && s.Filename == "handbook.txt" && s.Excerpt.Contains("Bluebird", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetContext_RanksChunksAcrossTheAgentsAndTheRequestsFiles()
    {
        var knowledge = await UploadAsync("policy.txt", Filler(150, seed: 3) + "Refunds are accepted within 30 days of purchase with a receipt. " + Filler(50, seed: 4), owner: "usr_agent_owner");
        var attached = await UploadAsync("notes.txt", Filler(150, seed: 5));

        var context = await ContextAsync(_owner, [attached.Id], "How many days do I have for refunds?", budget: 100, agentFiles: [knowledge.Id]);

        context.Text.Should().Contain("Refunds are accepted within 30 days");
        context.Sources.Should().Contain(s => s.FileId == knowledge.Id);
        s_words.CountTokens(context.Text).Should().BeLessThanOrEqualTo(100);
    }

    [Fact]
    public async Task GetContext_WhenNothingMatchesTheQuery_GivesTheBeginningsOfTheDocuments()
    {
        var text = "Opening words of the report. " + Filler(300, seed: 6);
        var file = await UploadAsync("report.txt", text);

        var context = await ContextAsync(_owner, [file.Id], "summarise", budget: 60);

        context.Text.Should().Contain("Opening words of the report.");
        s_words.CountTokens(context.Text).Should().BeLessThanOrEqualTo(60);
    }

    [Fact]
    public async Task GetContext_WhenRequestFileIsUnknown_Throws400NamingFiles()
    {
        var act = () => ContextAsync(_owner, ["file_doesnotexist"], "q", 100);

        (await act.Should().ThrowAsync<BadRequestException>()).Which.Param.Should().Be("files");
    }

    [Fact]
    public async Task GetContext_WhenRequestFileIsAnotherPrincipals_Throws400NamingFiles()
    {
        var theirs = await UploadAsync("theirs.txt", "private notes", owner: "usr_someone_else");

        var act = () => ContextAsync(_owner, [theirs.Id], "q", 100);

        (await act.Should().ThrowAsync<BadRequestException>()).Which.Param.Should().Be("files");
    }

    [Fact]
    public async Task GetContext_WhenRequestFileFailed_Throws400NamingIt()
    {
        var broken = await UploadAsync("broken.json", "{\"unterminated\": ");
        broken.Status.Should().Be("failed");

        var act = () => ContextAsync(_owner, [broken.Id], "q", 100);

        var error = (await act.Should().ThrowAsync<BadRequestException>()).Which;
        error.Param.Should().Be("files");
        error.Message.Should().Contain(broken.Id).And.Contain("broken.json");
    }

    [Fact]
    public async Task GetContext_AgentFilesOfTheWorkspaceAreUsedWhoeverUploadedThem_OthersAreLeftOut()
    {
        var colleagues = await UploadAsync("colleague.txt", "Shared knowledge from a colleague.", owner: "usr_colleague");
        var otherWorkspace = await UploadAsync("foreign.txt", "Knowledge of another workspace.", owner: "usr_foreign", workspaceId: "ws_other");
        var failed = await UploadAsync("bad.xml", "<unclosed>", owner: "usr_colleague");

        var context = await ContextAsync(_owner, [], "knowledge", budget: 1000, agentFiles: [colleagues.Id, otherWorkspace.Id, failed.Id, "file_gone"]);

        context.Text.Should().Contain("Shared knowledge from a colleague.").And.NotContain("another workspace");
        context.Sources.Should().ContainSingle().Which.FileId.Should().Be(colleagues.Id);
    }

    [Fact]
    public async Task GetContext_WithoutFilesOrBudget_IsEmpty()
    {
        var file = await UploadAsync("a.txt", "some text");

        (await ContextAsync(_owner, [], "q", 100)).Should().BeSameAs(PromptContext.Empty);
        (await ContextAsync(_owner, [file.Id], "q", 0)).Should().BeSameAs(PromptContext.Empty);
    }
}

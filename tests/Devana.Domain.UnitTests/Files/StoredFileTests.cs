using Devana.Domain.Common;
using Devana.Domain.Files;
using Devana.Domain.Files.Rules;
using static Devana.Domain.UnitTests.Common.RuleAssertions;

namespace Devana.Domain.UnitTests.Files;

public sealed class StoredFileTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static StoredFile NewFile(string filename = "notes.txt", long bytes = 42) =>
        StoredFile.Upload("ws_1", "usr_1", filename, "text/plain", bytes, new string('a', 64), "0123456789abcdef0123456789abcdef", s_now);

    [Fact]
    public void Upload_GivesAFileIdAndStartsProcessing()
    {
        var file = NewFile();

        file.Id.Should().StartWith("file_");
        file.Status.Should().Be(FileStatus.Processing);
    }

    [Theory]
    [InlineData("ws_1", "usr_1", false, true)]
    [InlineData("ws_1", "usr_2", false, false)]
    [InlineData("ws_1", "usr_2", true, false)]
    [InlineData("ws_2", "usr_1", true, false)]
    public void AFileMayBeUsedOnlyByItsUploaderAdminsIncluded(string workspaceId, string principalId, bool isAdmin, bool mayUse)
    {
        var file = NewFile();
        var actor = new Actor(workspaceId, principalId, isAdmin);

        StoredFile.MayBeUsedOnlyByItsUploader.Allows(file, actor).Should().Be(mayUse);
        StoredFile.MayBeUsedOnlyByItsUploader.For(actor).Compile()(file).Should().Be(mayUse);
    }

    [Fact]
    public void Upload_WhenEmpty_BreaksFileMustNotBeEmptyRule() =>
        AssertBrokenRule<FileMustNotBeEmptyRule>(() => NewFile(bytes: 0));

    [Fact]
    public void Upload_WhenFilenameIsBlankOrTooLong_BreaksFilenameMustBeValidRule()
    {
        AssertBrokenRule<FilenameMustBeValidRule>(() => NewFile(filename: " "));
        AssertBrokenRule<FilenameMustBeValidRule>(() => NewFile(filename: new string('a', 252) + ".txt"));
    }

    [Fact]
    public void CompleteProcessing_StoresTheChunksInOrder()
    {
        var file = NewFile();

        file.CompleteProcessing(11, 2, [(0, "hello ", 1), (6, "world", 1)]);

        file.Status.Should().Be(FileStatus.Processed);
        file.Chunks.Select(c => (c.Index, c.Start, c.Text, c.FileId)).Should().Equal((0, 0, "hello ", file.Id), (1, 6, "world", file.Id));
        file.TokenCount.Should().Be(2);
        file.TextLength.Should().Be(11);
    }

    [Fact]
    public void CompleteProcessing_WhenChunksLeaveAGapOrStopShort_BreaksChunksMustCoverTheTextInOrderRule()
    {
        AssertBrokenRule<ChunksMustCoverTheTextInOrderRule>(() => NewFile().CompleteProcessing(11, 2, [(0, "hello", 1), (6, "world", 1)]));
        AssertBrokenRule<ChunksMustCoverTheTextInOrderRule>(() => NewFile().CompleteProcessing(12, 2, [(0, "hello ", 1), (6, "world", 1)]));
        AssertBrokenRule<ChunksMustCoverTheTextInOrderRule>(() => NewFile().CompleteProcessing(0, 0, []));
    }

    [Fact]
    public void CompleteProcessing_WhenAlreadyFailed_BreaksFileMustBeProcessingRule()
    {
        var file = NewFile();
        file.FailProcessing("not valid JSON");

        AssertBrokenRule<FileMustBeProcessingRule>(() => file.CompleteProcessing(5, 1, [(0, "hello", 1)]));
    }

    [Fact]
    public void FailProcessing_KeepsTheReasonCutToTheErrorLimit()
    {
        var file = NewFile();

        file.FailProcessing(new string('x', 5000));

        file.Status.Should().Be(FileStatus.Failed);
        file.Error.Should().HaveLength(StoredFile.ErrorMaxLength).And.EndWith("…");
    }

    [Fact]
    public void RebuildText_FromOverlappingChunks_GivesTheWholeTextOnce()
    {
        const string text = "one two three four five six";
        var file = NewFile();
        file.CompleteProcessing(text.Length, 6, [(0, "one two three ", 3), (8, "three four five ", 3), (14, "four five six", 3)]);

        StoredFile.RebuildText(file.Chunks.Reverse()).Should().Be(text);
    }
}

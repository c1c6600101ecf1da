using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Files;

/// <summary>Every bad upload gets the contract's envelope, and none leaves bytes behind.</summary>
public sealed class FileUploadRejectionTests(FilesApiFactory factory) : IClassFixture<FilesApiFactory>, IAsyncLifetime
{
    private TestCaller _caller = null!;
    private int _storedBefore;

    public async Task InitializeAsync()
    {
        _caller = await factory.CreateUserAsync();
        _storedBefore = factory.StoredObjects().Count;
    }

    public Task DisposeAsync()
    {
        factory.StoredObjects().Should().HaveCount(_storedBefore, "a refused upload leaves nothing in storage");
        return Task.CompletedTask;
    }

    private Task<HttpResponseMessage> PostAsync(HttpContent content) => _caller.Client.PostAsync("/v1/files", content);

    [Fact]
    public async Task Upload_WhenContentLengthIsOverTheLimit_Returns413BeforeReadingTheBody()
    {
        var response = await PostAsync(SampleFiles.Form("big.txt", new byte[FilesApiFactory.MaxBytes + 100_000]));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large");
        error.GetProperty("message").GetString().Should().Contain($"at most {FilesApiFactory.MaxBytes + (64 * 1024)} bytes", "the endpoint's limit is the configured maximum plus the multipart allowance");
    }

    [Fact]
    public async Task Upload_WhenTheFileIsJustOverTheLimit_Returns413()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('a', (int)FilesApiFactory.MaxBytes + 1));

        var response = await PostAsync(SampleFiles.Form("big.txt", bytes));

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large", "file");
    }

    [Fact]
    public async Task Upload_WhenTheFileIsExactlyTheLimit_IsAccepted()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('a', (int)FilesApiFactory.MaxBytes));

        var response = await PostAsync(SampleFiles.Form("limit.txt", bytes));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement.GetProperty("id").GetString();
        (await _caller.Client.DeleteAsync($"/v1/files/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Upload_WhenAChunkedBodyIsOverTheLimit_Returns413WithoutReadingItAll()
    {
        var source = new EndlessText(totalBytes: 50_000_000);
        var form = new MultipartFormDataContent { { new StreamContent(source), "file", "endless.txt" } };
        form.Headers.ContentLength.Should().BeNull("the body is sent chunked, with no Content-Length");

        // The test client's redirect handler buffers request bodies (to replay them), which would send a
        // Content-Length: talk to the server directly, with the caller's token.
        using var direct = factory.Server.CreateClient();
        direct.DefaultRequestHeaders.Authorization = _caller.Client.DefaultRequestHeaders.Authorization
            ?? throw new InvalidOperationException("The caller's client sends no default Authorization header.");
        var response = await direct.PostAsync("/v1/files", form);

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large", "file");
        source.Produced.Should().BeLessThan(5_000_000, "the server stops reading soon after the limit");
    }

    public static TheoryData<string, byte[]> RenamedBinaries => new()
    {
        { "image.txt", SampleFiles.Png },
        { "archive.txt", SampleFiles.Zip("a.txt", "hello") },
        { "program.txt", SampleFiles.Elf },
        { "program.md", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00] },
        { "report.txt", SampleFiles.Pdf("a PDF in disguise") },
        { "data.json", SampleFiles.Docx("a DOCX in disguise") },
        { "not-a.pdf", "just some text, no PDF header"u8.ToArray() },
        { "image.pdf", SampleFiles.Png },
        { "not-a.docx", "plain text, not a ZIP"u8.ToArray() },
        { "archive.docx", SampleFiles.Zip("readme.txt", "a plain ZIP") },
        { "spreadsheet.docx", SampleFiles.Zip("[Content_Types].xml", "<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>") },
    };

    [Theory]
    [MemberData(nameof(RenamedBinaries))]
    public async Task Upload_WhenContentIsNotWhatTheExtensionSays_Returns415(string filename, byte[] bytes)
    {
        var response = await PostAsync(SampleFiles.Form(filename, bytes));

        await response.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error", "unsupported_file_type", "file");
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("photo.png")]
    [InlineData("legacy.doc")]
    [InlineData("no-extension")]
    public async Task Upload_WhenExtensionIsNotSupported_Returns415(string filename)
    {
        var response = await PostAsync(SampleFiles.Form(filename, "text"));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error", "unsupported_file_type", "file");
        error.GetProperty("message").GetString().Should().Contain("pdf");
    }

    [Fact]
    public async Task Upload_WhenFileIsEmpty_Returns400()
    {
        var response = await PostAsync(SampleFiles.Form("empty.txt", []));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    [Fact]
    public async Task Upload_WhenThereIsNoFileField_Returns400NamingFile()
    {
        var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" }, { new ByteArrayContent("x"u8.ToArray()), "document", "a.txt" } };

        var response = await PostAsync(form);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "missing_required_parameter", "file");
    }

    [Fact]
    public async Task Upload_WhenFileFieldHasNoFileName_Returns400NamingFile()
    {
        var form = new MultipartFormDataContent { { new StringContent("not a file"), "file" } };

        var response = await PostAsync(form);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    [Fact]
    public async Task Upload_WhenBodyIsNotMultipart_Returns400()
    {
        var response = await PostAsync(new StringContent("{\"file\": \"a.txt\"}", Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    [Fact]
    public async Task Upload_WhenMultipartHasNoBoundary_Returns400()
    {
        var content = new ByteArrayContent("whatever"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");

        var response = await PostAsync(content);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    [Fact]
    public async Task Upload_WhenMultipartIsTruncated_Returns400()
    {
        var response = await PostAsync(SampleFiles.RawMultipart("Content-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"", "the body stops here"u8.ToArray(), close: false));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    [Fact]
    public async Task Upload_WhenFileNameIsOnlyAPath_Returns400()
    {
        var response = await PostAsync(SampleFiles.Form("../", "text"));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "file");
    }

    /// <summary>A forward-only stream of ASCII text that counts how much of it was read.</summary>
    private sealed class EndlessText(long totalBytes) : Stream
    {
        public long Produced { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, totalBytes - Produced);
            buffer.AsSpan(offset, n).Fill((byte)'a');
            Produced += n;
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Devana.Api.FunctionalTests.Infrastructure;
using OpenAI;
using OpenAI.Files;

namespace Devana.Api.FunctionalTests.Files;

public sealed class FilesEndpointsTests(FilesApiFactory factory) : IClassFixture<FilesApiFactory>
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> UploadAsync(TestCaller caller, string filename, byte[] bytes, string? contentType = "application/octet-stream")
    {
        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form(filename, bytes, contentType));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await JsonOf(response);
    }

    [Fact]
    public async Task Upload_TextFile_Returns201WithTheFileObject()
    {
        var caller = await factory.CreateUserAsync();
        var bytes = Encoding.UTF8.GetBytes("Devana keeps your files.\nSecond line.");

        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("notes.txt", bytes, "text/plain", withPurpose: true));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var file = await JsonOf(response);
        var id = file.GetProperty("id").GetString();
        id.Should().StartWith("file_");
        response.Headers.Location!.ToString().Should().EndWith($"/v1/files/{id}");
        file.GetProperty("object").GetString().Should().Be("file");
        file.GetProperty("filename").GetString().Should().Be("notes.txt");
        file.GetProperty("bytes").GetInt64().Should().Be(bytes.Length);
        file.GetProperty("content_type").GetString().Should().Be("text/plain");
        file.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        file.GetProperty("status").GetString().Should().Be("processed");
        file.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        file.GetProperty("created_at").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60);
    }

    public static TheoryData<string, byte[], string> EveryFormat => new()
    {
        { "plain.txt", "plain text"u8.ToArray(), "text/plain" },
        { "readme.md", "# Title\n\nSome *markdown*."u8.ToArray(), "text/markdown" },
        { "table.csv", "name,role\nAda,Engineer\n"u8.ToArray(), "text/csv" },
        { "data.json", "{\"answer\": 42}"u8.ToArray(), "application/json" },
        { "note.xml", "<note><to>Ada</to></note>"u8.ToArray(), "application/xml" },
        { "page.html", "<html><body><p>Hello</p><script>x()</script></body></html>"u8.ToArray(), "text/html" },
        { "report.pdf", SampleFiles.Pdf("Quarterly report: revenue grew."), "application/pdf" },
        { "letter.docx", SampleFiles.Docx("Dear Ada, the project is approved."), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    };

    [Theory]
    [MemberData(nameof(EveryFormat))]
    public async Task Upload_EverySupportedFormat_IsProcessed(string filename, byte[] bytes, string contentType)
    {
        var caller = await factory.CreateMachineClientAsync();

        var file = await UploadAsync(caller, filename, bytes);

        file.GetProperty("status").GetString().Should().Be("processed", file.ToString());
        file.GetProperty("content_type").GetString().Should().Be(contentType);
    }

    [Fact]
    public async Task Upload_WhenTextCannotBeExtracted_KeepsTheFileAsFailedSayingWhy()
    {
        var caller = await factory.CreateUserAsync();
        var bytes = "{\"answer\": "u8.ToArray();

        var file = await UploadAsync(caller, "broken.json", bytes, "application/json");

        file.GetProperty("status").GetString().Should().Be("failed");
        file.GetProperty("error").GetString().Should().Contain("not valid JSON");
        var content = await caller.Client.GetAsync($"/v1/files/{file.GetProperty("id").GetString()}/content");
        (await content.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
    }

    [Fact]
    public async Task Upload_WhenPdfIsCorrupt_KeepsTheFileAsFailed()
    {
        var caller = await factory.CreateUserAsync();

        var file = await UploadAsync(caller, "broken.pdf", "%PDF-1.7\nnot really a PDF"u8.ToArray());

        file.GetProperty("status").GetString().Should().Be("failed");
        file.GetProperty("error").GetString().Should().Contain("PDF");
    }

    [Fact]
    public async Task Get_ReturnsTheCallersFile()
    {
        var caller = await factory.CreateUserAsync();
        var uploaded = await UploadAsync(caller, "a.txt", "alpha"u8.ToArray());
        var id = uploaded.GetProperty("id").GetString();

        var response = await caller.Client.GetAsync($"/v1/files/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonOf(response)).ToString().Should().Be(uploaded.ToString());
    }

    [Fact]
    public async Task List_GivesTheCallersFilesNewestFirstPageByPage()
    {
        var caller = await factory.CreateUserAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await UploadAsync(caller, $"f{i}.txt", Encoding.UTF8.GetBytes($"file {i}"))).GetProperty("id").GetString()!);
        }

        var first = await JsonOf(await caller.Client.GetAsync("/v1/files?limit=2"));
        first.GetProperty("object").GetString().Should().Be("list");
        first.GetProperty("has_more").GetBoolean().Should().BeTrue();
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await JsonOf(await caller.Client.GetAsync($"/v1/files?limit=2&after={cursor}"));
        second.GetProperty("has_more").GetBoolean().Should().BeFalse();
        second.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.Null);

        var listed = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(f => f.GetProperty("id").GetString()).ToList();
        listed.Should().BeEquivalentTo(ids);
        var createdAt = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(f => f.GetProperty("created_at").GetInt64()).ToList();
        createdAt.Should().BeInDescendingOrder();
    }

    [Fact]
    public async Task List_WhenLimitIsOutOfRange_Returns400()
    {
        var caller = await factory.CreateUserAsync();

        var response = await caller.Client.GetAsync("/v1/files?limit=0");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "limit");
    }

    [Fact]
    public async Task Content_ReturnsTheOriginalBytesAsAnAttachment()
    {
        var caller = await factory.CreateUserAsync();
        var bytes = SampleFiles.Pdf("Attachment test");
        var id = (await UploadAsync(caller, "résumé 2026.pdf", bytes, "application/pdf")).GetProperty("id").GetString();

        var response = await caller.Client.GetAsync($"/v1/files/{id}/content");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.Should().Be("attachment");
        disposition.FileNameStar.Should().Be("résumé 2026.pdf");
        disposition.FileName!.Trim('"').Should().MatchRegex("^[ -~]+$", "the plain filename is an ASCII fallback");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    [Fact]
    public async Task Upload_WhenFileNameHasPathsAndControlCharacters_StoresASanitisedName()
    {
        var caller = await factory.CreateUserAsync();

        var quoted = await caller.Client.PostAsync("/v1/files", SampleFiles.RawMultipart(
            "Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/cron.d/evil\u0001name.txt\"\r\nContent-Type: text/plain",
            "payload"u8.ToArray()));
        var encoded = await caller.Client.PostAsync("/v1/files", SampleFiles.RawMultipart(
            "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''..%2F..%5Cwin%5Csys%07tem%E2%80%AEtxt.md\r\nContent-Type: text/plain",
            "payload"u8.ToArray()));

        quoted.StatusCode.Should().Be(HttpStatusCode.Created, await quoted.Content.ReadAsStringAsync());
        (await JsonOf(quoted)).GetProperty("filename").GetString().Should().Be("evilname.txt");
        encoded.StatusCode.Should().Be(HttpStatusCode.Created, await encoded.Content.ReadAsStringAsync());
        (await JsonOf(encoded)).GetProperty("filename").GetString().Should().Be("systemtxt.md");
        factory.StoredObjects().Should().OnlyContain(path => Path.GetFileName(path).Length == 32 && path.StartsWith(factory.StoragePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_AnswersOpenAisDeletedShapeAndRemovesTheFileAndItsBytes()
    {
        var caller = await factory.CreateUserAsync();
        var id = (await UploadAsync(caller, "gone.txt", "to be deleted"u8.ToArray())).GetProperty("id").GetString();
        var before = factory.StoredObjects();

        var response = await caller.Client.DeleteAsync($"/v1/files/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("id").GetString().Should().Be(id);
        body.GetProperty("object").GetString().Should().Be("file");
        body.GetProperty("deleted").GetBoolean().Should().BeTrue();
        factory.StoredObjects().Should().HaveCount(before.Count - 1);
        await (await caller.Client.GetAsync($"/v1/files/{id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
        await (await caller.Client.GetAsync($"/v1/files/{id}/content")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
        await (await caller.Client.DeleteAsync($"/v1/files/{id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
    }

    [Fact]
    public async Task Sdk_DeleteFile_ReadsTheDeletionResult()
    {
        var caller = await factory.CreateUserAsync();
        var id = (await UploadAsync(caller, "sdk.txt", "deleted through the SDK"u8.ToArray())).GetProperty("id").GetString()!;
        var token = caller.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var files = new OpenAIFileClient(new ApiKeyCredential(token), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

        FileDeletionResult result = await files.DeleteFileAsync(id);

        result.Deleted.Should().BeTrue();
        result.FileId.Should().Be(id);
    }

    [Fact]
    public async Task AnotherPrincipalsFile_IsNotFound()
    {
        var owner = await factory.CreateUserAsync();
        var colleague = await factory.CreateUserAsync();
        var stranger = await factory.CreateMachineClientAsync(workspace: "elsewhere");
        var admin = await factory.CreateUserAsync(role: "admin");
        var id = (await UploadAsync(owner, "private.txt", "mine only"u8.ToArray())).GetProperty("id").GetString();

        foreach (var other in new[] { colleague, stranger, admin })
        {
            await (await other.Client.GetAsync($"/v1/files/{id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
            await (await other.Client.GetAsync($"/v1/files/{id}/content")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
            await (await other.Client.DeleteAsync($"/v1/files/{id}")).ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "file_not_found");
            var list = await JsonOf(await other.Client.GetAsync("/v1/files"));
            list.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Should().NotContain(id);
        }

        (await owner.Client.GetAsync($"/v1/files/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Files_WithoutAToken_Return401()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/v1/files");

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    [Fact]
    public async Task Files_WithAnUnknownToken_Return401()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await client.PostAsync("/v1/files", SampleFiles.Form("a.txt", "x"));

        await response.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
    }

    [Fact]
    public async Task Files_WithoutTheFilesScope_Return403()
    {
        var caller = await factory.CreateMachineClientAsync(scopes: ["completions"]);

        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("a.txt", "x"));

        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, "permission_error", "insufficient_scope");
        (await caller.Client.GetAsync("/v1/files")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Upload_ResultIsReadableWithTheSdkShape()
    {
        var caller = await factory.CreateUserAsync();

        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("sdk.txt", "hello"));
        var file = await response.Content.ReadFromJsonAsync<JsonElement>();

        file.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["id", "object", "filename", "bytes", "content_type", "sha256", "status", "error", "created_at"]);
    }
}

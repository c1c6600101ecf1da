using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Files;

/// <summary>A limit above the API's 1 MB default body size: the upload endpoint follows Devana:Files:MaxBytes.</summary>
public sealed class LargeFileLimitFactory : DevanaApiFactory
{
    public const long MaxBytes = 3_000_000;

    protected override IDictionary<string, string?> ConfigureSettings()
    {
        var settings = base.ConfigureSettings();
        settings["Devana:Files:StoragePath"] = Path.Combine(DataDirectory, "files");
        settings["Devana:Files:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}

public sealed class LargeFileLimitTests(LargeFileLimitFactory factory) : IClassFixture<LargeFileLimitFactory>
{
    [Fact]
    public async Task Upload_OverTheDefaultBodyLimitButUnderMaxBytes_IsAccepted()
    {
        var caller = await factory.CreateUserAsync();
        var text = string.Join('\n', Enumerable.Range(0, 120_000).Select(i => $"line {i}"));

        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("large.txt", text));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.RequestMessage!.Content!.Headers.ContentLength.Should().BeGreaterThan(1024 * 1024);
    }

    [Fact]
    public async Task Upload_OverMaxBytes_Returns413()
    {
        var caller = await factory.CreateUserAsync();

        var response = await caller.Client.PostAsync("/v1/files", SampleFiles.Form("huge.txt", new string('a', (int)LargeFileLimitFactory.MaxBytes + 1)));

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large");
    }
}

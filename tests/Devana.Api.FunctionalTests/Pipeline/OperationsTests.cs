using System.Net;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Devana.Api.FunctionalTests.Pipeline;

public sealed class OperationsTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public void LoggerFactory_HandsOutOneLoggerPerCategory()
    {
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command")
            .Should().BeSameAs(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command"), "EF Core asks for its loggers again for every context");
        loggers.CreateLogger("a").Should().NotBeSameAs(loggers.CreateLogger("b"));
    }

    [Fact]
    public async Task HealthLive_Returns200()
    {
        var response = await _client.GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HealthReady_WhenDatabaseIsMigrated_Returns200AndTheFileExists()
    {
        var response = await _client.GetAsync("/health/ready");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(factory.DatabasePath).Should().BeTrue();
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        var response = await _client.GetAsync("/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"openapi\"");
    }

    [Fact]
    public async Task InteractiveDocs_AreServed()
    {
        var response = await _client.GetAsync("/docs");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/html");
    }
}

using System.Net;
using System.Text.Json;

namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>Asserts that a response is the error envelope of docs/api.md#errors.</summary>
public static class ErrorAssertions
{
    public static async Task<JsonElement> ShouldBeErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string type, string? code = null, string? param = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("error").Clone();
        error.GetProperty("type").GetString().Should().Be(type, body);
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        if (code is not null)
        {
            error.GetProperty("code").GetString().Should().Be(code, body);
        }

        if (param is not null)
        {
            error.GetProperty("param").GetString().Should().Be(param, body);
        }

        return error;
    }
}

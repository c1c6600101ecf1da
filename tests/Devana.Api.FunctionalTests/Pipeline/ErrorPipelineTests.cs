using System.Net;
using System.Net.Http.Json;
using System.Text;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Pipeline;

public sealed class ErrorPipelineTests(PipelineFactory factory) : IClassFixture<PipelineFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> PostRawAsync(string path, string body) =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Post_WhenBodyIsMalformedJson_Returns400InvalidJson()
    {
        var response = await PostRawAsync("/test/pipeline/echo", "{\"name\": ");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_json");
    }

    [Fact]
    public async Task Post_WhenFieldHasWrongType_Returns400NamingTheParam()
    {
        var response = await PostRawAsync("/test/pipeline/echo", "{\"name\": \"a\", \"temperature\": \"hot\"}");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "temperature");
    }

    [Fact]
    public async Task Post_WhenNumberIsSentAsString_Returns400RatherThanConverting()
    {
        var response = await PostRawAsync("/test/pipeline/echo", "{\"name\": \"a\", \"temperature\": \"0.5\"}");

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", "temperature");
    }

    [Fact]
    public async Task Post_WhenBodyIsEmpty_Returns400()
    {
        var response = await PostRawAsync("/test/pipeline/echo", string.Empty);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Fact]
    public async Task Post_WhenBodyIsValid_IsAcceptedWithSnakeCaseOutput()
    {
        var response = await _client.PostAsJsonAsync("/test/pipeline/echo", new { name = "a", temperature = 0.5 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"temperature\":0.5").And.Contain("\"tags\":null");
    }

    [Fact]
    public async Task Post_WhenBodyIsOverOneMegabyte_Returns413()
    {
        var big = "{\"name\": \"" + new string('x', 1_100_000) + "\"}";

        var response = await PostRawAsync("/test/pipeline/echo", big);

        await response.ShouldBeErrorAsync(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "payload_too_large");
    }

    [Fact]
    public async Task Get_WhenRouteIsUnknown_Returns404Envelope()
    {
        var response = await _client.GetAsync("/v1/nothing-here");

        await response.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "not_found");
    }

    [Fact]
    public async Task Put_WhenMethodIsWrong_Returns405Envelope()
    {
        var response = await _client.PutAsync("/test/pipeline/echo", new StringContent("{}", Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(HttpStatusCode.MethodNotAllowed, "invalid_request_error", "method_not_allowed");
    }

    [Fact]
    public async Task Post_WhenContentTypeIsNotJson_Returns415Envelope_NotProblemDetails()
    {
        var response = await _client.PostAsync("/test/pipeline/echo", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error", "invalid_value");
        error.GetProperty("message").GetString().Should().Contain("application/json");
    }

    [Fact]
    public async Task Get_WhenHandlerThrowsUnexpectedly_Returns500NamingRequestIdWithoutDetails()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/pipeline/throw/unhandled");
        request.Headers.Add("x-request-id", "req-test-500");

        var response = await _client.SendAsync(request);

        var error = await response.ShouldBeErrorAsync(HttpStatusCode.InternalServerError, "server_error", "server_error");
        var message = error.GetProperty("message").GetString();
        message.Should().Contain("req-test-500").And.NotContain("secret internal detail").And.NotContain("InvalidOperationException");
        response.Headers.GetValues("x-request-id").Should().Equal("req-test-500");
    }

    [Theory]
    [InlineData("not-found", HttpStatusCode.NotFound, "not_found_error", "agent_not_found")]
    [InlineData("conflict", HttpStatusCode.Conflict, "conflict_error", "already_exists")]
    [InlineData("forbidden", HttpStatusCode.Forbidden, "permission_error", "access_denied")]
    [InlineData("upstream", HttpStatusCode.BadGateway, "upstream_error", "upstream_error")]
    [InlineData("timeout", HttpStatusCode.GatewayTimeout, "upstream_error", "upstream_timeout")]
    public async Task Get_WhenHandlerThrowsApplicationException_MapsToContractStatus(string kind, HttpStatusCode status, string type, string code)
    {
        var response = await _client.GetAsync($"/test/pipeline/throw/{kind}");

        await response.ShouldBeErrorAsync(status, type, code);
    }

    [Fact]
    public async Task AnyResponse_CarriesARequestId()
    {
        var response = await _client.GetAsync("/health/live");

        response.Headers.GetValues("x-request-id").Single().Should().StartWith("req_");
    }

    [Fact]
    public async Task AnyResponse_EchoesTheCallersRequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/unknown");
        request.Headers.Add("x-request-id", "abc-123");

        var response = await _client.SendAsync(request);

        response.Headers.GetValues("x-request-id").Should().Equal("abc-123");
    }
}

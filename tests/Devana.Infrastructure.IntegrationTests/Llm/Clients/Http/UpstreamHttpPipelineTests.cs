using System.Net;
using System.Net.Http.Headers;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.Llm.Catalog;
using Devana.Infrastructure.Llm.Clients.Http;
using Polly;
using Polly.Retry;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.Http;

/// <summary>The pieces of the upstream HTTP pipeline that the fake-server tests do not reach.</summary>
public sealed class UpstreamHttpPipelineTests
{
    private static readonly LlmProviderSettings s_provider = new(
        "p", LlmProviderType.OpenAI, new Uri("http://localhost/v1"), null, TimeSpan.FromSeconds(5), 3, TimeSpan.FromMilliseconds(10));

    [Theory]
    [InlineData("""{"error": {"message": "openai says no", "type": "x", "code": null}}""", "x: openai says no")]
    [InlineData("""{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}""", "invalid_api_key: Incorrect API key provided")]
    [InlineData("""{"error": {"message": "no kind"}}""", "no kind")]
    [InlineData("""{"type": "error", "error": {"type": "overloaded_error", "message": "anthropic says no"}}""", "overloaded_error: anthropic says no")]
    [InlineData("""{"error": "ollama says no"}""", "ollama says no")]
    [InlineData("""{"detail": "fastapi says no"}""", "fastapi says no")]
    [InlineData("  plain text says no \n", "plain text says no")]
    [InlineData("", "Bad Gateway")]
    public void ExtractMessage_OfAnErrorBody_FindsTheUpstreamsMessage(string body, string expected) =>
        UpstreamStatusHandler.ExtractMessage(body, "Bad Gateway").Should().Be(expected);

    [Fact]
    public void ExtractMessage_OfAHugeBody_Shortens() =>
        UpstreamStatusHandler.ExtractMessage(new string('x', 5_000), null).Length.Should().BeLessThan(1_100);

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData((HttpStatusCode)529, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public async Task RetryOptions_OfAStatus_RetryOnlyTryAgainStatuses(HttpStatusCode status, bool retried)
    {
        using var response = new HttpResponseMessage(status);

        (await ShouldHandle(Outcome.FromResult(response))).Should().Be(retried);
    }

    [Fact]
    public async Task RetryOptions_OfAConnectionFailure_Retry() =>
        (await ShouldHandle(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")))).Should().BeTrue();

    [Fact]
    public async Task RetryOptions_OfATimedOutAttempt_DoNotRetry() =>
        (await ShouldHandle(Outcome.FromException<HttpResponseMessage>(new UpstreamTimeoutException(TimeSpan.FromSeconds(1), answerStarted: false)))).Should().BeFalse();

    [Fact]
    public async Task RetryOptions_WithALongRetryAfter_WaitsAtMost30Seconds()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1));

        var delay = await Delay(response);

        delay.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RetryOptions_WithAShortRetryAfter_WaitsThatLong()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        (await Delay(response)).Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task RetryOptions_WithoutRetryAfter_LeavesTheDelayToTheBackoff()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        (await Delay(response)).Should().BeNull();
        var options = UpstreamHttpClientRegistration.RetryOptions(s_provider);
        options.MaxRetryAttempts.Should().Be(3);
        options.Delay.Should().Be(TimeSpan.FromMilliseconds(10));
        options.BackoffType.Should().Be(DelayBackoffType.Exponential);
        options.UseJitter.Should().BeTrue();
    }

    private static async Task<bool> ShouldHandle(Outcome<HttpResponseMessage> outcome)
    {
        var options = UpstreamHttpClientRegistration.RetryOptions(s_provider);
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            return await options.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(context, outcome, 0));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task<TimeSpan?> Delay(HttpResponseMessage response)
    {
        var options = UpstreamHttpClientRegistration.RetryOptions(s_provider);
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            return await options.DelayGenerator!(new RetryDelayGeneratorArguments<HttpResponseMessage>(context, Outcome.FromResult(response), 0));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

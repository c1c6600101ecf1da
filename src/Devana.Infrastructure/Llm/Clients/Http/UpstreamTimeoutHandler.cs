namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// Bounds the upstream's silence with the provider's <c>TimeoutSeconds</c>: the response headers must arrive
/// within it (per attempt: this handler sits inside the retry), and after them every read of the body must
/// return within it. Either failure is an <see cref="UpstreamTimeoutException"/>, which the retry does not
/// repeat. A long answer that keeps streaming is never cut.
/// </summary>
internal sealed class UpstreamTimeoutHandler(TimeSpan timeout, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var timer = new CancellationTokenSource(timeout, timeProvider))
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token))
        {
            try
            {
                response = await base.SendAsync(request, attempt.Token);
            }
            catch (OperationCanceledException e) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamTimeoutException(timeout, answerStarted: false, e);
            }
        }

        response.Content = new GuardedContent(response.Content, timeout, timeProvider, CancellationToken.None);
        return response;
    }
}

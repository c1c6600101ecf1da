using System.Net;

namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>
/// The upstream answered with an error status (after any retries). Thrown below the SDKs, so that every
/// provider reports the status and the upstream's own message the same way; an
/// <see cref="HttpRequestException"/> so that each SDK passes it on as a transport failure.
/// </summary>
internal sealed class UpstreamHttpException(HttpStatusCode statusCode, string upstreamMessage)
    : HttpRequestException($"The upstream answered {(int)statusCode} ({statusCode}): {upstreamMessage}", null, statusCode)
{
    public HttpStatusCode Status { get; } = statusCode;

    public string UpstreamMessage { get; } = upstreamMessage;
}

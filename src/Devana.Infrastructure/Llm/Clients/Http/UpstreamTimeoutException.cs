namespace Devana.Infrastructure.Llm.Clients.Http;

/// <summary>The upstream stayed silent for longer than its provider's <c>TimeoutSeconds</c>.</summary>
/// <param name="timeout">The provider's timeout.</param>
/// <param name="answerStarted">False: no response headers in time. True: the body had begun, then stalled.</param>
/// <param name="innerException">The cancellation that ended the wait.</param>
internal sealed class UpstreamTimeoutException(TimeSpan timeout, bool answerStarted, Exception? innerException = null)
    : TimeoutException(
        answerStarted
            ? $"The upstream sent nothing for more than {timeout.TotalSeconds:0.###} s."
            : $"The upstream did not answer within {timeout.TotalSeconds:0.###} s.",
        innerException)
{
    public bool AnswerStarted { get; } = answerStarted;
}

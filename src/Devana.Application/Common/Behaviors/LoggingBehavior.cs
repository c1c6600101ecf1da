using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Devana.Application.Common.Behaviors;

/// <summary>
/// First in the pipeline: logs each request's name and how long it took. It never logs the request
/// itself, which may carry message contents or secrets.
/// </summary>
public sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Handled {RequestName} in {ElapsedMs:0.0} ms", typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogDebug("{RequestName} failed after {ElapsedMs:0.0} ms with {ExceptionType}", typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, exception.GetType().Name);
            throw;
        }
    }
}

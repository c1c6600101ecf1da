using Microsoft.Extensions.Options;

namespace Devana.Api.Infrastructure;

/// <summary>
/// <c>Devana:Shutdown:DrainSeconds</c> (default 30, 0 to end streams at once): how long an instance told
/// to stop (SIGTERM) lets its open completions run before it ends them.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Devana:Shutdown";

    public const double DefaultDrainSeconds = 30;

    /// <summary>Time left after the drain for ended streams to store their answers and settle their usage.</summary>
    public static readonly TimeSpan SettleGrace = TimeSpan.FromSeconds(15);

    public double DrainSeconds { get; set; } = DefaultDrainSeconds;

    public TimeSpan Drain => TimeSpan.FromSeconds(DrainSeconds);
}

/// <summary>
/// Graceful shutdown (SIGTERM): once the host is stopping, <see cref="IsStopping"/> turns true (new
/// requests are refused with 503, see <see cref="ShutdownGateMiddleware"/>), and <see cref="Drained"/>
/// is cancelled when the drain time has passed: the completions still open then are ended (a stream
/// with an error event) and store what they produced and settle their usage. As a hosted service it holds
/// the host's shutdown until no completion is open (whatever the server does with requests in flight),
/// at most for the host's shutdown timeout: the drain time plus <see cref="ShutdownOptions.SettleGrace"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Justification = "Open streams hold the drain token until they end; the source owns no timer.")]
public sealed partial class ShutdownDrain : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IHostApplicationLifetime _lifetime;
    private readonly CancellationTokenSource _drained = new();
    private readonly CancellationTokenRegistration _stopping;
    private readonly ILogger<ShutdownDrain> _logger;
    private ITimer? _timer;
    private int _open;
    private bool _ended;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options, TimeProvider clock, ILogger<ShutdownDrain> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _lifetime = lifetime;
        _logger = logger;
        var drain = options.Value.Drain;
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            LogDraining(Volatile.Read(ref _open), drain.TotalSeconds);
            lock (_drained)
            {
                if (!_ended)
                {
                    _timer = clock.CreateTimer(_ => End(), null, drain, Timeout.InfiniteTimeSpan);
                }
            }
        });
    }

    public bool IsStopping => _lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>Cancelled when the drain time after the shutdown signal has passed.</summary>
    public CancellationToken Drained => _drained.Token;

    /// <summary>How many completions are open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Counts a completion as open until the returned handle is disposed.</summary>
    public IDisposable Track()
    {
        Interlocked.Increment(ref _open);
        return new Handle(this);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until no completion is open (they finish, or are ended when the drain time is over), or the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Open == 0)
        {
            return;
        }

        try
        {
            await _idle.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogGaveUp(Open);
        }
    }

    /// <summary>The host is gone: whatever is still open ends now (the token source is left to the collector, as open streams still hold its token).</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        End();
    }

    /// <summary>Ends the drain once: when the drain time is over, or when the host is disposed before that.</summary>
    private void End()
    {
        lock (_drained)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _timer?.Dispose();
            var open = Volatile.Read(ref _open);
            if (open > 0)
            {
                LogEnding(open);
            }

            _drained.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: refusing new requests, letting {Open} open completions finish for up to {DrainSeconds} s")]
    private partial void LogDraining(int open, double drainSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time is over: ending {Open} open completions with an error (their answers so far are stored and their usage settled)")]
    private partial void LogEnding(int open);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout reached with {Open} completions still open")]
    private partial void LogGaveUp(int open);

    private sealed class Handle(ShutdownDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && Interlocked.Decrement(ref drain._open) == 0 && drain.IsStopping)
            {
                drain._idle.TrySetResult();
            }
        }
    }
}

/// <summary>Once the host is stopping, every new request is answered 503 with <c>Connection: close</c>, so a load balancer retries it on another instance.</summary>
public sealed class ShutdownGateMiddleware(RequestDelegate next, ShutdownDrain drain)
{
    public const string Message = "This server instance is shutting down; send the request again (to another instance).";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!drain.IsStopping)
        {
            return next(context);
        }

        context.Response.Headers.Connection = "close";
        context.Response.Headers.RetryAfter = "1";
        return ErrorWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Application.Common.Exceptions.ErrorCodes.ServiceUnavailable, Message);
    }
}

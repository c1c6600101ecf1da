using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// An in-memory span exporter for tests: keeps every span the host's tracer provider ends, and lets a test
/// wait (without sleeping) for the span it needs.
/// </summary>
public sealed class SpanCollector : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Done)> _waiters = [];

    public IReadOnlyList<Activity> Ended => [.. _ended];

    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId) => _ended.Where(a => a.TraceId == traceId).ToList();

    public Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        lock (_waiters)
        {
            var found = _ended.FirstOrDefault(match);
            if (found is not null)
            {
                return Task.FromResult(found);
            }

            var done = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_waiters)
        {
            _ended.Enqueue(data);
            foreach (var waiter in _waiters.Where(w => w.Match(data)).ToList())
            {
                waiter.Done.TrySetResult(data);
                _waiters.Remove(waiter);
            }
        }
    }
}

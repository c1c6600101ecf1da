using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells when a timer is created, so that a test can move time
/// exactly when the code under test has started waiting (a retry's delay, a read's idle timeout), with no
/// wall-clock sleep.
/// </summary>
public sealed class ManualTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Forgets the timers created so far, so that <see cref="WaitForTimerAsync"/> sees only later ones.</summary>
    public void ForgetTimers()
    {
        while (_created.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Completes when a timer due in <paramref name="dueTime"/> is created (or was, since the last <see cref="ForgetTimers"/>).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        await foreach (var created in _created.Reader.ReadAllAsync())
        {
            if (created == dueTime)
            {
                return;
            }
        }
    }
}

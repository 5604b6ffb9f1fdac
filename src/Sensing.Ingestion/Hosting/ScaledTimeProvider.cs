using System.Diagnostics;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// Simulated time that runs <see cref="Speed"/> times faster than real time from <see cref="Start"/>: the demo and
/// tests play a wristband's day in minutes. The worker and the simulated bands must share it (or, across processes,
/// its <see cref="Start"/>, <see cref="RealStart"/> and <see cref="Speed"/>), so that the bands' clocks and the
/// gateway's SET_TIME agree.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly long _originTimestamp;

    /// <summary>Simulated time <paramref name="start"/> at real instant <paramref name="realStart"/>, running <paramref name="speed"/>×.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The speed is not positive.</exception>
    public ScaledTimeProvider(DateTimeOffset start, double speed, DateTimeOffset? realStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        Start = start;
        Speed = speed;
        RealStart = realStart ?? System.GetUtcNow();
        // Real time already elapsed since realStart (another process may have started the clock) counts too.
        _originTimestamp = Stopwatch.GetTimestamp() - (long)((System.GetUtcNow() - RealStart).TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Simulated time at <see cref="RealStart"/>.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Real instant at which the simulated clock read <see cref="Start"/>.</summary>
    public DateTimeOffset RealStart { get; }

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed { get; }

    /// <inheritdoc />
    public override long TimestampFrequency => Stopwatch.Frequency;

    /// <inheritdoc />
    public override long GetTimestamp() => (long)((Stopwatch.GetTimestamp() - _originTimestamp) * Speed);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Start + TimeSpan.FromSeconds(GetTimestamp() / (double)Stopwatch.Frequency);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / Speed));
}

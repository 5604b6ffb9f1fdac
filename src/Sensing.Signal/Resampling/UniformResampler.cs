namespace Sensing.Signal.Resampling;

/// <summary>
/// Puts a jittery, gappy stream of 4-channel samples (x, y, z, magnitude) on a uniform grid: grid points are the
/// multiples of the output period (so the grid does not depend on where a recording or a block starts) and each is
/// linearly interpolated between the input samples around it. An interval longer than the gap threshold, or a
/// step back in time, is a gap: nothing is interpolated across it, and the consumer is told so it can reset.
/// </summary>
public sealed class UniformResampler
{
    private readonly long _periodMicros;
    private readonly long _gapMicros;
    private long _previousTime = long.MinValue;
    private GridSample _previous;
    private long _nextGrid;

    public UniformResampler(double outputRateHz, TimeSpan gapThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(outputRateHz, 0);
        _periodMicros = (long)Math.Round(1e6 / outputRateHz);
        _gapMicros = (long)(gapThreshold.TotalMilliseconds * 1000);
    }

    /// <summary>The output period, microseconds.</summary>
    public long PeriodMicros => _periodMicros;

    /// <summary>Takes one input sample; calls <paramref name="sink"/> for every grid point it completes.</summary>
    public void Push<TSink>(long timeMicros, in GridSample value, ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (_previousTime == long.MinValue || timeMicros - _previousTime > _gapMicros || timeMicros < _previousTime)
        {
            if (_previousTime != long.MinValue)
            {
                sink.Gap(_previousTime, timeMicros);
            }

            _nextGrid = CeilingToGrid(timeMicros);
        }
        else
        {
            var span = timeMicros - _previousTime;
            while (_nextGrid <= timeMicros)
            {
                // span > 0 here: a grid point between equal times would have been emitted at the earlier one.
                var fraction = (float)((_nextGrid - _previousTime) / (double)span);
                sink.Sample(_nextGrid, GridSample.Lerp(_previous, value, fraction));
                _nextGrid += _periodMicros;
            }
        }

        if (_nextGrid == timeMicros)
        {
            sink.Sample(_nextGrid, value);
            _nextGrid += _periodMicros;
        }

        _previousTime = timeMicros;
        _previous = value;
    }

    private long CeilingToGrid(long time)
    {
        var floor = Math.DivRem(time, _periodMicros, out var remainder) * _periodMicros;
        if (remainder < 0)
        {
            floor -= _periodMicros;
        }

        return floor == time ? time : floor + _periodMicros;
    }
}

/// <summary>One sample on (or on the way to) the grid: the three axes and the magnitude, in g.</summary>
public readonly record struct GridSample(float X, float Y, float Z, float M)
{
    public static GridSample Lerp(in GridSample a, in GridSample b, float t) => new(
        a.X + ((b.X - a.X) * t),
        a.Y + ((b.Y - a.Y) * t),
        a.Z + ((b.Z - a.Z) * t),
        a.M + ((b.M - a.M) * t));
}

/// <summary>Receives the grid samples of a <see cref="UniformResampler"/>.</summary>
public interface IGridSink
{
    /// <summary>A grid point at <paramref name="timeMicros"/>.</summary>
    void Sample(long timeMicros, in GridSample value);

    /// <summary>No data from <paramref name="fromMicros"/> to <paramref name="toMicros"/>.</summary>
    void Gap(long fromMicros, long toMicros);
}

namespace Sensing.Signal.Resampling;

/// <summary>Receives the points of a <see cref="GroupedGrid"/>, in time order.</summary>
internal interface IGridSink
{
    /// <summary>A grid point at <paramref name="timeMicros"/> (a multiple of the grid period).</summary>
    void Sample(long timeMicros, float value);

    /// <summary>No data from <paramref name="fromMicros"/> to <paramref name="toMicros"/>: nothing is interpolated across.</summary>
    void Gap(long fromMicros, long toMicros);
}

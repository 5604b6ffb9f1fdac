namespace Sensing.Signal.Resampling;

/// <summary>Receives the points of a <see cref="GroupedGrid"/>, in time order.</summary>
internal interface IGridSink
{
    /// <summary>A grid point at <paramref name="timeMicros"/> (a multiple of the grid period): the three channels' values.</summary>
    void Sample(long timeMicros, float x, float y, float z);

    /// <summary>
    /// No data from <paramref name="fromMicros"/> to <paramref name="toMicros"/>: the grid points in between will not
    /// come, and nothing is interpolated across.
    /// </summary>
    void Gap(long fromMicros, long toMicros);
}

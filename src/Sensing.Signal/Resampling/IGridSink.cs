namespace Sensing.Signal.Resampling;

/// <summary>Receives the points of a <see cref="GroupedGrid"/>, in time order.</summary>
internal interface IGridSink
{
    /// <summary>
    /// Consecutive grid points with no gap between them, at <paramref name="timeMicros"/> (multiples of the grid
    /// period): the three channels' values. A Push hands its points over in blocks, so the sink's per-point work can
    /// run as loops over a block rather than one call per point; the blocks depend on how the input was cut, the
    /// points do not.
    /// </summary>
    void Samples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z);

    /// <summary>
    /// No data from <paramref name="fromMicros"/> to <paramref name="toMicros"/>: the grid points in between will not
    /// come, and nothing is interpolated across.
    /// </summary>
    void Gap(long fromMicros, long toMicros);
}

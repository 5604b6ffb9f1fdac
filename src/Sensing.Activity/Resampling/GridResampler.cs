using Sensing.Signal.Resampling;

namespace Sensing.Activity.Resampling;

/// <summary>
/// Brings a jittered stream at any rate (about 10 to 200 Hz) onto the 12.5 Hz <see cref="WindowGrid"/> and hands
/// complete windows to a sink. The result depends only on the sample sequence, never on how it was cut into blocks.
/// </summary>
/// <remarks>
/// The grid is the signal pipeline's one front end (<see cref="GroupedGrid"/>: SIMD group means, then linear
/// interpolation, silences up to <see cref="WindowGrid.MaxBridgeMicros"/> bridged); this class only gathers its points
/// into windows of 10 s aligned to multiples of 10 s. A window missing any of its 125 points (a gap, the stream's
/// ragged ends) is dropped.
/// </remarks>
internal sealed class GridResampler
{
    private readonly GroupedGrid _grid;
    private WindowAssembler _windows;

    /// <param name="sink">Receives the complete windows.</param>
    /// <param name="nominalRateHz">The input's nominal rate when known; null to measure it from the first samples.</param>
    public GridResampler(IWindowSink sink, double? nominalRateHz = null)
    {
        _grid = new GroupedGrid(nominalRateHz, WindowGrid.PeriodMicros, TimeSpan.FromTicks(WindowGrid.MaxBridgeMicros * 10), vectorised: true);
        _windows = new WindowAssembler(sink);
    }

    /// <summary>Samples per group (0 until the rate is measured).</summary>
    public int GroupSize => _grid.GroupSize;

    /// <summary>Adds samples.</summary>
    public void Push(ReadOnlySpan<long> t, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z) => _grid.Push(t, x, y, z, ref _windows);

    /// <summary>Ends the stream: a trailing partial group is still placed; an incomplete last window is dropped.</summary>
    public void Complete() => _grid.Complete(ref _windows);

    /// <summary>Points of a grid the caller runs (shared with the step counter), instead of <see cref="Push"/>.</summary>
    public void OnGridSamples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
        => _windows.Samples(timeMicros, x, y, z);
}

/// <summary>Gathers grid points into the <see cref="WindowGrid"/>'s windows; a window is handed on only when all its points came.</summary>
internal struct WindowAssembler : IGridSink
{
    private readonly IWindowSink _sink;
    private readonly float[] _wx = new float[WindowGrid.WindowSamples];
    private readonly float[] _wy = new float[WindowGrid.WindowSamples];
    private readonly float[] _wz = new float[WindowGrid.WindowSamples];
    private long _windowIndex = long.MinValue;
    private long _windowStartK = long.MinValue / 2;
    private int _filled;

    public WindowAssembler(IWindowSink sink) => _sink = sink;

    public void Samples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        var i = 0;
        while (i < timeMicros.Length)
        {
            // Points that go on the current window one period apart are copied as a run, all but the last: that one
            // goes through Sample, which hands the window on when it is full. A window's first point, or one after a
            // jump, goes alone.
            var run = 0;
            if (_filled > 0)
            {
                var next = (_windowStartK + _filled) * WindowGrid.PeriodMicros;
                var room = Math.Min(WindowGrid.WindowSamples - _filled, timeMicros.Length - i);
                run = WindowGrid.PointsInStep(timeMicros.Slice(i, room), next);
            }

            if (run > 1)
            {
                run--;
                x.Slice(i, run).CopyTo(_wx.AsSpan(_filled));
                y.Slice(i, run).CopyTo(_wy.AsSpan(_filled));
                z.Slice(i, run).CopyTo(_wz.AsSpan(_filled));
                _filled += run;
                i += run;
            }

            Sample(timeMicros[i], x[i], y[i], z[i]);
            i++;
        }
    }

    private void Sample(long timeMicros, float x, float y, float z)
    {
        var k = timeMicros / WindowGrid.PeriodMicros;
        if (timeMicros < 0 && k * WindowGrid.PeriodMicros != timeMicros)
        {
            k--;
        }

        var pos = (ulong)(k - _windowStartK);
        if (pos >= WindowGrid.WindowSamples)
        {
            // Only when a new window starts: the one division per window.
            _windowIndex = WindowGrid.FloorDiv(k, WindowGrid.WindowSamples);
            _windowStartK = _windowIndex * WindowGrid.WindowSamples;
            _filled = 0;
            pos = (ulong)(k - _windowStartK);
        }

        _wx[(int)pos] = x;
        _wy[(int)pos] = y;
        _wz[(int)pos] = z;
        _filled++;
        if (pos == WindowGrid.WindowSamples - 1 && _filled == WindowGrid.WindowSamples)
        {
            _sink.OnWindow(_windowIndex, _wx, _wy, _wz);
        }
    }

    // The points of a gap never come, so the windows it touches stay short of 125 and are not handed on.
    public readonly void Gap(long fromMicros, long toMicros)
    {
    }
}

using Sensing.Core;
using Sensing.Signal.Kernels;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// Counts steps in a stream of sample blocks from one wristband. State carries across blocks, so feeding a
/// recording in one block or in blocks of any size gives the same steps. Per input sample the work is vectorised
/// (magnitude, box anti-alias filter); the rhythm analysis then runs on a 25 Hz grid.
/// </summary>
/// <remarks>Not thread-safe: one instance per wristband, fed by one caller at a time.</remarks>
public sealed class StepCounter
{
    private readonly bool _vectorised;
    private readonly int _boxWidth;
    private readonly float _boxScale;
    private readonly UniformResampler _resampler;
    private readonly WalkingBouts _bouts;
    private readonly bool _hasAxes;
    private CadenceDetector _detector;
    private readonly float[][] _raw = new float[4][];       // x, y, z, magnitude with box history in front
    private readonly float[][] _smoothed = new float[4][];
    private int _history;

    /// <param name="nominalInputRateHz">The input's nominal rate, used only to size the anti-alias box filter.</param>
    /// <param name="hasAxes">False for magnitude-only input (<see cref="SampleBlock.HasAxes"/>).</param>
    /// <param name="options">Design parameters; null for the defaults.</param>
    /// <param name="vectorised">False runs the scalar reference kernels (tests compare the two).</param>
    public StepCounter(double nominalInputRateHz, bool hasAxes = true, StepCounterOptions? options = null, bool vectorised = true)
    {
        if (!(nominalInputRateHz > 0) || double.IsInfinity(nominalInputRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(nominalInputRateHz), nominalInputRateHz, "The input rate must be a positive number of Hz.");
        }

        var resolved = options ?? new StepCounterOptions();
        _vectorised = vectorised;
        _hasAxes = hasAxes;
        _boxWidth = resolved.BoxWidthFor(nominalInputRateHz);
        _boxScale = 1f / _boxWidth;
        _resampler = new UniformResampler(resolved.InternalRateHz, resolved.GapThreshold);
        _bouts = new WalkingBouts(resolved);
        _detector = new CadenceDetector(resolved, _bouts, hasAxes, vectorised);
        for (var c = 0; c < 4; c++)
        {
            _raw[c] = new float[4096];
            _smoothed[c] = new float[4096];
        }
    }

    /// <summary>Steps counted so far (a bout's first seconds count once it is confirmed as walking).</summary>
    public long Steps => _bouts.Steps;

    /// <summary>Seconds of confirmed walking so far.</summary>
    public long WalkingSeconds => _bouts.WalkingSeconds;

    /// <summary>No step before this time (microseconds) will be counted any more; see <see cref="StepTimes"/>.</summary>
    public long SettledMicros => _bouts.SettledMicros;

    /// <summary>When set, receives the time (microseconds) of every counted step.</summary>
    public List<long>? StepTimes
    {
        get => _bouts.StepTimes;
        set => _bouts.StepTimes = value;
    }

    internal Action<string>? Trace
    {
        get => _detector.Trace;
        set
        {
            _detector.Trace = value;
            _bouts.Trace = value;
        }
    }

    /// <summary>Feeds one block (any size, including empty).</summary>
    /// <exception cref="ArgumentException">The block's HasAxes differs from the counter's.</exception>
    public void Push(SampleBlock block)
    {
        var n = block.Count;
        if (n == 0)
        {
            return;
        }

        if (block.HasAxes != _hasAxes)
        {
            throw new ArgumentException($"This counter was made for {(_hasAxes ? "3-axis" : "magnitude-only")} input; the block is the other kind.");
        }

        EnsureCapacity(_history + n);
        Convert(block, n);

        // Box filter: smoothed[i] covers input sample i and the (width - 1) before it, across block boundaries.
        var firstFull = _boxWidth - 1 - _history;
        var length = _history + n;
        for (var c = 0; c < 4; c++)
        {
            if (length >= _boxWidth)
            {
                if (_vectorised)
                {
                    SignalKernels.BoxSum(_raw[c].AsSpan(0, length), _boxWidth, _smoothed[c]);
                }
                else
                {
                    SignalKernels.BoxSumScalar(_raw[c].AsSpan(0, length), _boxWidth, _smoothed[c]);
                }
            }
        }

        var times = block.Time;
        var (rx, ry, rz, rm) = (_raw[0], _raw[1], _raw[2], _raw[3]);
        var (sx, sy, sz, sm) = (_smoothed[0], _smoothed[1], _smoothed[2], _smoothed[3]);
        for (var i = 0; i < n; i++)
        {
            // Until the box has filled once (start of the stream), pass the raw values.
            var j = _history + i;
            var k = i - firstFull;
            var sample = i < firstFull
                ? new GridSample(rx[j], ry[j], rz[j], rm[j])
                : new GridSample(sx[k] * _boxScale, sy[k] * _boxScale, sz[k] * _boxScale, sm[k] * _boxScale);
            _resampler.Push(times[i], sample, ref _detector);
        }

        KeepHistory(length);
    }

    /// <summary>Ends the stream: the last seconds are judged, and a bout never confirmed as walking is dropped.</summary>
    public void Complete() => _detector.EndStretch();

    private void Convert(SampleBlock block, int n)
    {
        var m = _raw[3].AsSpan(_history, n);
        if (!_hasAxes)
        {
            // Magnitude-only input: the magnitude is the only channel; the axes stay zero.
            for (var i = 0; i < n; i++)
            {
                m[i] = Math.Abs(block.X[i]);
            }

            _raw[0].AsSpan(_history, n).Clear();
            _raw[1].AsSpan(_history, n).Clear();
            _raw[2].AsSpan(_history, n).Clear();
            return;
        }

        block.X.CopyTo(_raw[0].AsSpan(_history));
        block.Y.CopyTo(_raw[1].AsSpan(_history));
        block.Z.CopyTo(_raw[2].AsSpan(_history));
        if (_vectorised)
        {
            SignalKernels.Magnitude(block.X, block.Y, block.Z, m);
        }
        else
        {
            KernelDriver.ScalarTernary<MagnitudeOperator>(block.X, block.Y, block.Z, m);
        }
    }

    private void KeepHistory(int length)
    {
        var keep = Math.Min(_boxWidth - 1, length);
        for (var c = 0; c < 4; c++)
        {
            _raw[c].AsSpan(length - keep, keep).CopyTo(_raw[c]);
        }

        _history = keep;
    }

    private void EnsureCapacity(int needed)
    {
        if (_raw[0].Length >= needed)
        {
            return;
        }

        for (var c = 0; c < 4; c++)
        {
            Array.Resize(ref _raw[c], needed);
            _smoothed[c] = new float[needed];
        }
    }
}

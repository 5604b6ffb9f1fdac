using System.Numerics.Tensors;
using Sensing.Core;
using Sensing.Signal.Kernels;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// Counts steps in a stream of sample blocks from one wristband. State carries across blocks, so feeding a
/// recording in one block or in blocks of any size gives the same steps at the same times.
/// </summary>
/// <remarks>
/// <para>Per input sample the work is vectorised: the magnitude of acceleration, and the group means that decimate
/// it (<see cref="GroupedGrid"/>). Everything after runs on a 12.5 Hz grid: the band-pass, the step peaks, the
/// rhythm of each second (<see cref="RhythmAnalyzer"/>) and the walking gate and count (<see cref="WalkingBouts"/>).</para>
/// <para>Not thread-safe: one instance per wristband, fed by one caller at a time.</para>
/// </remarks>
public sealed class StepCounter
{
    private readonly bool _vectorised;
    private readonly bool _hasAxes;
    private readonly GroupedGrid _grid;
    private readonly WalkingBouts _bouts;
    private StepDetector _detector;
    private float[] _magnitude = new float[4096];

    /// <param name="nominalInputRateHz">The input's nominal rate, used only to size the decimation groups.</param>
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
        _grid = new GroupedGrid(nominalInputRateHz, resolved.InternalRateHz, resolved.GapThreshold, vectorised);
        _bouts = new WalkingBouts(resolved);
        _detector = new StepDetector(resolved, _bouts, vectorised);
    }

    /// <summary>Steps counted so far (a walk's first seconds count once it is confirmed as walking).</summary>
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
        get => _bouts.Trace;
        set => _bouts.Trace = value;
    }

    /// <summary>Feeds one block (any size, including empty).</summary>
    /// <exception cref="ArgumentException">The block's HasAxes differs from the counter's.</exception>
    public void Push(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var n = block.Count;
        if (n == 0)
        {
            return;
        }

        if (block.HasAxes != _hasAxes)
        {
            throw new ArgumentException($"This counter was made for {(_hasAxes ? "3-axis" : "magnitude-only")} input; the block is the other kind.");
        }

        if (_magnitude.Length < n)
        {
            _magnitude = new float[n];
        }

        var m = _magnitude.AsSpan(0, n);
        if (!_hasAxes)
        {
            // Magnitude-only input: the magnitude is the one channel given.
            if (_vectorised)
            {
                TensorPrimitives.Abs(block.X, m);
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    m[i] = Math.Abs(block.X[i]);
                }
            }
        }
        else if (_vectorised)
        {
            SignalKernels.Magnitude(block.X, block.Y, block.Z, m);
        }
        else
        {
            KernelDriver.ScalarTernary<MagnitudeOperator>(block.X, block.Y, block.Z, m);
        }

        _grid.Push(block.Time, m, ref _detector);
    }

    /// <summary>Ends the stream: the last seconds are judged, and a walk never confirmed is dropped.</summary>
    public void Complete()
    {
        _grid.Complete(ref _detector);
        _detector.EndStretch();
    }
}

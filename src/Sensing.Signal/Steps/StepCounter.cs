using Sensing.Core;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// Counts steps in a stream of sample blocks from one wristband. State carries across blocks, so feeding a
/// recording in one block or in blocks of any size gives the same steps at the same times.
/// </summary>
/// <remarks>
/// <para>Per input sample the only work is the vectorised group means that decimate the three axes
/// (<see cref="GroupedGrid"/>). Everything after runs on a 12.5 Hz grid: the magnitude, the band-pass, the step peaks,
/// the rhythm of each second (<see cref="RhythmAnalyzer"/>) and the walking gate and count (<see cref="WalkingBouts"/>).</para>
/// <para>Not thread-safe: one instance per wristband, fed by one caller at a time.</para>
/// </remarks>
public sealed class StepCounter
{
    private readonly GridFeeder _feeder;
    private readonly WalkingBouts _bouts;
    private StepDetector _detector;

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
        var grid = new GroupedGrid(nominalInputRateHz, (long)Math.Round(1e6 / resolved.InternalRateHz), resolved.GapThreshold, vectorised);
        _feeder = new GridFeeder(grid, hasAxes, vectorised);
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

    /// <summary>When set, receives every second the counter judges (its rhythm and the walking gate's state), in time order.</summary>
    public Action<JudgedSecond>? Judged
    {
        get => _bouts.Judged;
        set => _bouts.Judged = value;
    }

    /// <summary>Feeds one block (any size, including empty).</summary>
    /// <exception cref="ArgumentException">The block's HasAxes differs from the counter's.</exception>
    public void Push(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        _feeder.Push(block, ref _detector);
    }

    /// <summary>Feeds a run of raw counts at a fixed period (a wristband's frames): the same steps as the same samples in g.</summary>
    /// <exception cref="ArgumentException">The counter was made for magnitude-only input.</exception>
    public void Push(RawSamples samples) => _feeder.Push(samples, ref _detector);

    /// <summary>Points of a grid run by the caller (shared with the activity classifier) instead of <see cref="Push"/>.</summary>
    internal void OnGridSamples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
        => _detector.Samples(timeMicros, x, y, z);

    /// <summary>A gap of the grid run by the caller.</summary>
    internal void OnGridGap(long fromMicros, long toMicros) => _detector.Gap(fromMicros, toMicros);

    /// <summary>Ends a stream whose grid the caller ran.</summary>
    internal void CompleteDetector() => _detector.EndStretch();

    /// <summary>Ends the stream: the last seconds are judged, and a walk never confirmed is dropped.</summary>
    public void Complete()
    {
        _feeder.Complete(ref _detector);
        _detector.EndStretch();
    }
}

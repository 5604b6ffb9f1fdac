using System.Numerics;
using Sensing.Signal.Filters;
using Sensing.Signal.Kernels;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// The grid stage of the step counter: band-passes the magnitude, finds its peaks (step candidates), has the rhythm
/// of each second judged, and hands both to the <see cref="WalkingBouts"/> that decide what counts.
/// </summary>
/// <remarks>
/// A block of grid points goes through each stage in turn, as a loop: the magnitudes (vectorised), the band-pass (eight points at a
/// time), the peak mask, then the rhythm one second at a time with the peaks of each second after its verdict. The
/// verdicts and peaks reach the <see cref="WalkingBouts"/> in the order point-by-point processing gives them (a
/// point's verdict, then its peak), so the steps do not depend on the blocks.
/// </remarks>
internal struct StepDetector : IGridSink
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly BlockedFilter _filter;
    private readonly RhythmAnalyzer _rhythm;
    private readonly WalkingBouts _bouts;
    private readonly bool _vectorised;
    private readonly int _halfWidth;
    private readonly long _period;
    private readonly float[] _tail; // the last 2K filtered samples, newest last
    private int _filled;            // filtered samples of this stretch so far (up to 2K+1)
    private bool _started;

    public StepDetector(StepCounterOptions options, WalkingBouts bouts, bool vectorised)
    {
        _bouts = bouts;
        _vectorised = vectorised;
        _filter = new BlockedFilter(ButterworthDesign.BandPass(options.FilterOrder, options.BandLowHz, options.BandHighHz, options.InternalRateHz), vectorised);
        _rhythm = new RhythmAnalyzer(options, vectorised);
        _halfWidth = Math.Max(1, (int)Math.Round(options.PeakHalfWidthSeconds * options.InternalRateHz));
        _tail = new float[2 * _halfWidth];
        _period = (long)Math.Round(1e6 / options.InternalRateHz);
    }

    public void Samples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        var n = timeMicros.Length;
        if (n == 0)
        {
            return;
        }

        var tail = _tail.Length;
        var scratch = t_scratch ??= new Scratch();
        if (scratch.Filtered.Length < tail + n)
        {
            scratch.Filtered = new float[Math.Max(tail + n, 1024 + tail)];
            scratch.Peaks = new ulong[(scratch.Filtered.Length + 63) / 64];
        }

        // The window the peaks are looked for in: the previous 2K filtered samples, then the block's.
        var filtered = scratch.Filtered.AsSpan(0, tail + n);
        var m = filtered[tail..];

        // The magnitude of the interpolated group means: one square root per grid point, not per input sample.
        if (_vectorised)
        {
            SignalKernels.Magnitude(x, y, z, m);
        }
        else
        {
            KernelDriver.ScalarTernary<MagnitudeOperator>(x, y, z, m);
        }

        if (!_started)
        {
            // Start in the steady state of the first value: gravity's step response would look like a burst of steps.
            _filter.Reset(m[0]);
            _started = true;
            _filled = 0;
        }

        _filter.Process(m, m);
        _tail.CopyTo(filtered);
        var peaks = scratch.Peaks.AsSpan(0, (n + 63) / 64);
        if (_vectorised)
        {
            SignalKernels.PeakMask(filtered, _halfWidth, peaks);
        }
        else
        {
            SignalKernels.PeakMaskScalar(filtered, _halfWidth, peaks);
        }

        // The rhythm a second at a time; the peaks of each second's points after its verdict, before the next one's.
        var i = 0;
        while (i < n)
        {
            if (_rhythm.StartsSecond(timeMicros[i]) && _rhythm.BeginSecond(timeMicros[i], out var verdict))
            {
                _bouts.Second(verdict);
            }

            var end = i + 1;
            var next = _rhythm.NextSecondMicros;
            while (end < n && timeMicros[end] < next)
            {
                end++;
            }

            _rhythm.Append(m[i..end]);
            FindPeaks(peaks, filtered, timeMicros, i, end);
            i = end;
        }

        filtered[n..].CopyTo(_tail);
        _filled = Math.Min(_filled + n, tail + 1);
    }

    public void Gap(long fromMicros, long toMicros) => EndStretch();

    /// <summary>Closes the current stretch of data (a gap or the end).</summary>
    public void EndStretch()
    {
        _bouts.EndStretch();
        _rhythm.Reset();
        _started = false;
    }

    // The peaks among the block's points [from, to) (see SignalKernels.PeakMask), each at the sample K back from the
    // point that completes its window; a stretch's first 2K points have no full window.
    private readonly void FindPeaks(ReadOnlySpan<ulong> mask, ReadOnlySpan<float> filtered, ReadOnlySpan<long> timeMicros, int from, int to)
    {
        var k = _halfWidth;
        for (var j = Math.Max(from, (2 * k) - _filled); j < to;)
        {
            var word = mask[j >> 6] >> (j & 63);
            if (word == 0)
            {
                j = (j | 63) + 1;
                continue;
            }

            j += BitOperations.TrailingZeroCount(word);
            if (j >= to)
            {
                break;
            }

            _bouts.Peak(timeMicros[j] - (k * _period), filtered[j + k]);
            j++;
        }
    }

    // Per-thread work arrays for one block, found by one thread-static lookup: the previous points' filtered tail then
    // the block's filtered magnitude, and the peak mask.
    private sealed class Scratch
    {
        public float[] Filtered = [];
        public ulong[] Peaks = [];
    }
}

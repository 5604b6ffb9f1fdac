using Sensing.Signal.Filters;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// The grid stage of the step counter: band-passes the magnitude, finds its peaks (step candidates), has the rhythm
/// of each second judged, and hands both to the <see cref="WalkingBouts"/> that decide what counts.
/// </summary>
internal struct StepDetector : IGridSink
{
    private readonly BiquadCascade _filter;
    private readonly RhythmAnalyzer _rhythm;
    private readonly WalkingBouts _bouts;
    private readonly int _halfWidth;
    private readonly long _period;
    private readonly float[] _recent; // the last 2K+1 filtered samples, newest last
    private int _filled;
    private int _head; // next slot of the ring, which is also its oldest sample
    private bool _started;
    private readonly float _levelDecay;
    private readonly float _clip;
    private float _level; // running mean of |m|, g

    public StepDetector(StepCounterOptions options, WalkingBouts bouts, bool vectorised)
    {
        _bouts = bouts;
        _filter = new BiquadCascade(ButterworthDesign.BandPass(options.FilterOrder, options.BandLowHz, options.BandHighHz, options.InternalRateHz));
        _rhythm = new RhythmAnalyzer(options, vectorised);
        _halfWidth = Math.Max(1, (int)Math.Round(options.PeakHalfWidthSeconds * options.InternalRateHz));
        _recent = new float[(2 * _halfWidth) + 1];
        _period = (long)Math.Round(1e6 / options.InternalRateHz);
        _levelDecay = (float)(1 / (options.LevelSeconds * options.InternalRateHz));
        _clip = (float)options.ClipLevels;
    }

    public void Sample(long timeMicros, float x, float y, float z)
    {
        // The magnitude of the interpolated group means: one square root per grid point, not per input sample.
        var value = MathF.Sqrt((x * x) + (y * y) + (z * z));
        if (!_started)
        {
            // Start in the steady state of the first value: gravity's step response would look like a burst of steps.
            _filter.Reset(value);
            _started = true;
            _filled = 0;
            _head = 0;
            _level = 0;
        }

        var m = (float)_filter.Process(value);

        // The rhythm is judged on the magnitude clipped at a few times its recent level: one jolt (a door, a hand on
        // the table, a sensor glitch) would otherwise outweigh seconds of steps in the window's correlation.
        var limit = _clip * _level;
        var clipped = _level > 0 ? Math.Clamp(m, -limit, limit) : m;
        _level += _levelDecay * (Math.Abs(m) - _level);
        if (_rhythm.Add(timeMicros, clipped, out var verdict))
        {
            _bouts.Second(verdict);
        }

        // The last 2K+1 filtered samples in a ring; a peak is looked for only when the sample K back rose above the one before.
        _recent[_head] = m;
        _head = _head + 1 == _recent.Length ? 0 : _head + 1;
        _filled++;
        if (_filled >= _recent.Length && IsPeak(out var height))
        {
            _bouts.Peak(timeMicros - (_halfWidth * _period), height);
        }
    }

    public void Gap(long fromMicros, long toMicros) => EndStretch();

    /// <summary>Closes the current stretch of data (a gap or the end).</summary>
    public void EndStretch()
    {
        _bouts.EndStretch();
        _rhythm.Reset();
        _started = false;
    }

    // The middle sample of the ring is the largest of the 2K+1 (ties go to the earlier) and above zero.
    private readonly bool IsPeak(out float height)
    {
        var n = _recent.Length;
        var centre = _head + _halfWidth;
        if (centre >= n)
        {
            centre -= n;
        }

        var c = _recent[centre];
        height = c;
        if (c <= 0)
        {
            return false;
        }

        // _head is the oldest sample: the K before the centre, then the K after it.
        var i = _head;
        for (var k = 0; k < n; k++)
        {
            if (i != centre && (k < _halfWidth ? _recent[i] >= c : _recent[i] > c))
            {
                return false;
            }

            i = i + 1 == n ? 0 : i + 1;
        }

        return true;
    }
}

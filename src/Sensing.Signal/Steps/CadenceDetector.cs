using Sensing.Signal.Filters;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Steps;

/// <summary>
/// Judges each second of the uniform grid: walking at some cadence, or not. The three axes and the magnitude are
/// band-passed; every second, the last <see cref="StepCounterOptions.WindowSeconds"/> seconds are searched for
/// the rhythm of walking:
/// <list type="bullet">
/// <item>the arm swing repeats once per stride, so the axes correlate strongly one stride apart;</item>
/// <item>heel strikes shake the wrist once per step, so the magnitude correlates one step (or, when one side's
/// strikes dominate, one stride) apart;</item>
/// <item>both must agree (step period = half or all of the stride period) for the window to be walking, at a cadence
/// of two steps per stride. Without an arm swing the magnitude alone must be strongly periodic.</item>
/// </list>
/// Housework, typing and driving move the wrist, but rarely in both of these rhythms at once for seconds on end.
/// The verdict of a window applies to its middle second; the seconds at the edges of a stretch take the nearest verdict.
/// </summary>
internal struct CadenceDetector : IGridSink
{
    private const long Second = 1_000_000;

    private readonly StepCounterOptions _options;
    private readonly WalkingBouts _bouts;
    private readonly bool _vectorised;
    private readonly bool _hasAxes;
    private readonly int _perSecond;
    private readonly int _window;
    private readonly BiquadCascade[] _filters;
    private readonly float[][] _history; // filtered x, y, z, m; the newest sample last
    private readonly float[][] _scratch;
    private readonly float[] _rAxes;
    private readonly float[] _rMagnitude;
    private readonly int _minLag;
    private readonly int _maxLag;
    private readonly int _peakHalfWidth;
    private int _filled;
    private bool _started;
    private long _firstTime;
    private long _lastTime;
    private long _labelledUntil; // every second before this has had its verdict
    private double _lastCadence;
    private readonly double[] _recentLags;
    private readonly float[] _recentR;
    private double _boutCadence; // cadence of the walk in progress, 0 when not walking
    private int _bridged;        // windows in a row carried over on the walk's cadence

    /// <summary>Diagnostics: a line per judged window.</summary>
    internal Action<string>? Trace;

    public CadenceDetector(StepCounterOptions options, WalkingBouts bouts, bool hasAxes, bool vectorised)
    {
        _options = options;
        _bouts = bouts;
        _hasAxes = hasAxes;
        _vectorised = vectorised;
        _perSecond = (int)Math.Round(options.InternalRateHz);
        _window = options.WindowSeconds * _perSecond;
        var band = ButterworthDesign.BandPass(options.FilterOrder, options.BandLowHz, options.BandHighHz, options.InternalRateHz);
        _filters = [new(band), new(band), new(band), new(band)];
        _history = [new float[_window], new float[_window], new float[_window], new float[_window]];
        _scratch = [new float[_window], new float[_window], new float[_window], new float[_window]];
        _minLag = (int)Math.Floor(options.InternalRateHz / options.MaxCadence);
        _maxLag = Math.Min(_window / 2 + (_window / 4), (int)Math.Ceiling(2 * options.InternalRateHz / options.MinCadence));
        _peakHalfWidth = (int)Math.Round(options.MinStepSeconds * options.InternalRateHz);
        _recentLags = new double[options.StableWindows];
        _recentR = new float[options.StableWindows];
        _rAxes = new float[_maxLag - _minLag + 1];
        _rMagnitude = new float[_maxLag - _minLag + 1];
    }

    public void Sample(long timeMicros, in GridSample value)
    {
        if (!_started)
        {
            _filters[0].Reset(value.X);
            _filters[1].Reset(value.Y);
            _filters[2].Reset(value.Z);
            _filters[3].Reset(value.M);
            _started = true;
            _filled = 0;
            _firstTime = timeMicros;
            _labelledUntil = timeMicros;
        }

        if (timeMicros % Second == 0 && _filled >= _window)
        {
            Judge(timeMicros);
        }

        Append(0, (float)_filters[0].Process(value.X));
        Append(1, (float)_filters[1].Process(value.Y));
        Append(2, (float)_filters[2].Process(value.Z));
        Append(3, (float)_filters[3].Process(value.M));
        _filled++;
        _lastTime = timeMicros;
        FindPeak(timeMicros);
    }

    public void Gap(long fromMicros, long toMicros) => EndStretch();

    /// <summary>Closes the current stretch of data: its last seconds take the last verdict.</summary>
    public void EndStretch()
    {
        if (_started && _labelledUntil > _firstTime || (_started && _filled >= _window))
        {
            var end = _lastTime + (Second / _perSecond);
            if (_labelledUntil == _firstTime && _filled >= _window)
            {
                // A stretch that ended exactly as its first window filled: judge it once.
                _lastCadence = Cadence();
            }

            Label(_labelledUntil, end, _lastCadence);
        }

        _bouts.EndStretch();
        _started = false;
        _boutCadence = 0;
        _bridged = 0;
        Array.Clear(_recentLags);
        Array.Clear(_recentR);
    }

    // A step peak: the band-passed magnitude K samples ago is the largest within K samples either side (K = the
    // shortest step), and stands above a floor and a fraction of the recent amplitude.
    private void FindPeak(long newestTime)
    {
        var k = _peakHalfWidth;
        if (_filled < (2 * k) + 1)
        {
            return;
        }

        var m = _history[3];
        var c = m.Length - 1 - k;
        var value = m[c];
        for (var i = c - k; i < c; i++)
        {
            if (m[i] >= value)
            {
                return;
            }
        }

        for (var i = c + 1; i <= c + k; i++)
        {
            if (m[i] > value)
            {
                return;
            }
        }

        var recent = Math.Min(_filled, m.Length);
        var rms = Math.Sqrt(Kernels.SignalKernels.DotScalar(m.AsSpan(m.Length - recent), m.AsSpan(m.Length - recent)) / recent);
        if (value >= Math.Max(_options.MinPeakG, _options.PeakFraction * rms))
        {
            _bouts.Peak(newestTime - (k * (Second / _perSecond)));
        }
    }

    private void Append(int channel, float value)
    {
        var history = _history[channel];
        Array.Copy(history, 1, history, 0, history.Length - 1);
        history[^1] = value;
    }

    private void Judge(long boundary)
    {
        var cadence = Cadence();
        var middleStart = boundary - ((_options.WindowSeconds / 2 + 1) * Second);
        var middleEnd = middleStart + Second;
        if (_labelledUntil == _firstTime)
        {
            // The first verdict of a stretch also covers the seconds before its middle.
            Label(_firstTime, middleEnd, cadence);
        }
        else
        {
            Label(_labelledUntil, middleEnd, cadence);
        }

        _lastCadence = cadence;
    }

    private void Label(long from, long to, double cadence)
    {
        while (from < to)
        {
            var next = Math.Min(to, ((from / Second) + 1) * Second);
            _bouts.Second(from, next - from, cadence);
            from = next;
        }

        _labelledUntil = Math.Max(_labelledUntil, to);
    }

    private double Cadence()
    {
        var cadence = Judge();
        if (cadence > 0)
        {
            _boutCadence = cadence;
            _bridged = 0;
        }
        else if (_boutCadence > 0 && _bridged < _options.BridgeSeconds)
        {
            // Inside a walk a window can lose its rhythm for a moment (a turn, a door); keep the cadence briefly.
            _bridged++;
            cadence = _boutCadence;
        }
        else
        {
            _boutCadence = 0;
        }

        return cadence;
    }

    // A verdict on the window alone, strict when starting a walk and lenient while the walk goes on.
    private double Judge()
    {
        var rate = _options.InternalRateHz;
        var magnitude = _history[3];
        var energy = Kernels.SignalKernels.DotScalar(magnitude, magnitude);
        if (Math.Sqrt(energy / _window) < _options.MinAmplitudeG)
        {
            return 0;
        }

        var walking = _boutCadence > 0;
        Periodicity.Autocorrelation([magnitude], _window, _minLag, _maxLag, _rMagnitude, _vectorised);
        if (_hasAxes)
        {
            // The arm swing: the axes repeat once per stride. Steps are then the heel strikes at half the stride
            // (or, when one side's strikes dominate the magnitude, at the whole stride, which is long for a step).
            Periodicity.Autocorrelation([_history[0], _history[1], _history[2]], _window, _minLag, _maxLag, _rAxes, _vectorised);
            var strideLag = Periodicity.FirstStrongPeak(_rAxes, _minLag, (int)(_options.MinStrideSeconds * rate), _maxLag,
                walking ? _options.ContinueCorrelation : _options.MinSwingCorrelation, _options.NearBestPeak, out var strideR);
            if (strideLag > 0)
            {
                var halfR = Periodicity.At(_rMagnitude, _minLag, strideLag / 2);
                var wholeR = Periodicity.At(_rMagnitude, _minLag, strideLag);
                Trace?.Invoke($"{_lastTime / 1e6:F0} rms {Math.Sqrt(energy / _window):F3} stride {strideLag / rate:F2}s r{strideR:F2} mag@half {halfR:F2} mag@stride {wholeR:F2}");
                if ((halfR >= _options.MinStepCorrelation ||
                    (wholeR >= _options.MinStepCorrelationAlone && strideLag >= _options.MinStrideOnlySeconds * rate)) &&
                    Consistent(2 * rate / strideLag))
                {
                    return Bounded(2 * rate / strideLag);
                }
            }
        }

        // No arm swing (hand in a pocket, carrying): the magnitude alone must be strongly periodic at a step period.
        var stepUpTo = (int)Math.Ceiling(rate / _options.MinCadence);
        var stepLag = Periodicity.FirstStrongPeak(_rMagnitude, _minLag, _minLag, stepUpTo,
            walking ? _options.ContinueCorrelation : _options.MinStepCorrelationAlone, _options.NearBestPeak, out var stepR);
        if (stepLag > 0 && Consistent(rate / stepLag))
        {
            return Bounded(rate / stepLag);
        }

        // A weaker rhythm counts when it holds still: the same period, window after window, for several seconds.
        // Walking keeps its cadence; the jolts of a car or of desk work do not keep one period.
        var lag = Periodicity.FirstStrongPeak(_rMagnitude, _minLag, _minLag, stepUpTo, _options.StableCorrelation, _options.NearBestPeak, out var r);
        Remember(lag, r);
        if (Trace is not null)
        {
            var ax = Periodicity.FirstStrongPeak(_rAxes, _minLag, (int)(_options.MinStrideSeconds * rate), _maxLag, 0f, 0.999f, out var axR);
            var mg = Periodicity.FirstStrongPeak(_rMagnitude, _minLag, _minLag, _maxLag, 0f, 0.999f, out var mgR);
            Trace($"{_lastTime / 1e6:F0} rms {Math.Sqrt(energy / _window):F3} step {stepLag / rate:F2}s r{stepR:F2} | best axes {ax / rate:F2}s r{axR:F2} mag {mg / rate:F2}s r{mgR:F2} m@ax/2 {Periodicity.At(_rMagnitude, _minLag, ax / 2):F2}");
        }

        if (StablePeriod() is { } period)
        {
            // A long period may be a stride whose two steps look alike only in the axes' swing; the arm repeats
            // once per stride, so the axes tell which: they correlate at the period itself for a stride.
            var stride = _hasAxes && period >= _options.MinStrideOnlySeconds * rate &&
                Periodicity.At(_rAxes, _minLag, period) > Periodicity.At(_rAxes, _minLag, Math.Min(2 * period, _maxLag - 1));
            var cadence = stride ? 2 * rate / period : rate / period;
            return Consistent(cadence) ? Bounded(cadence) : 0;
        }

        return 0;
    }

    private void Remember(double lag, float r)
    {
        Array.Copy(_recentLags, 1, _recentLags, 0, _recentLags.Length - 1);
        Array.Copy(_recentR, 1, _recentR, 0, _recentR.Length - 1);
        _recentLags[^1] = lag;
        _recentR[^1] = r;
    }

    // The period, when the last few windows found nearly the same one with enough correlation on average.
    private double? StablePeriod()
    {
        var lags = _recentLags;
        if (lags.Any(l => l <= 0))
        {
            return null;
        }

        var sorted = lags.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var tolerance = _options.StablePeriodTolerance * median;
        if (Math.Abs(sorted[0] - median) > tolerance || Math.Abs(sorted[^1] - median) > tolerance || _recentR.Average() < _options.StableMeanCorrelation)
        {
            return null;
        }

        return median;
    }

    // While walking, a new cadence must be near the walk's cadence; a jump is more likely a misread period.
    private bool Consistent(double cadence)
        => _boutCadence <= 0 || Math.Abs(cadence - _boutCadence) <= _options.CadenceChange * _boutCadence;

    private double Bounded(double cadence) => cadence >= _options.MinCadence && cadence <= _options.MaxCadence ? cadence : 0;
}

using System.Numerics;
using Sensing.Signal.Kernels;

namespace Sensing.Signal.Steps;

/// <summary>
/// The periodicity of the band-passed magnitude over a sliding window of whole seconds, judged once per second.
/// </summary>
/// <remarks>
/// <para>The magnitude is first clipped at a few times its running level (<see cref="StepCounterOptions.ClipLevels"/>):
/// one jolt (a door, a hand on the table, a sensor glitch) would otherwise outweigh seconds of steps in the window's
/// correlation. r(L) = Σ m(t) m(t-L) / sqrt(E(window) E(window shifted by L)), over the samples t of the window, so r
/// is 1 for a perfectly repeating window whatever its amplitude. The products are accumulated per second as samples
/// arrive (see RhythmAnalyzer.Samples.cs) and summed over the window's seconds at the verdict, so the work per sample
/// is a few vector operations, not a correlation per second.</para>
/// <para>The period is the first autocorrelation peak within <see cref="StepCounterOptions.NearBestPeak"/> of the
/// best (the shortest strong period, so a repeating pattern is not read at twice its period). On the wrist it is
/// often a stride: the arm swing and the stronger foot's heel strike repeat once per two steps. The second heel strike
/// then shows as a bump of r at half the period; with that bump (or when one period would be slower than any walk),
/// the step period is half. The other way round, a period of a run's cadence at a walk's intensity
/// (<see cref="StepCounterOptions.RunningCadence"/>, <see cref="StepCounterOptions.RunningRmsG"/>) is half a step of a
/// walk whose steps each show two peaks.</para>
/// </remarks>
internal sealed partial class RhythmAnalyzer
{
    private const long Second = 1_000_000;
    private const int RunLength = 64; // the history's slack beyond the lags

    private readonly StepCounterOptions _options;
    private readonly bool _vectorised;
    private readonly double _rate;
    private readonly int _minLag;
    private readonly int _maxLag;
    private readonly int _lags;             // lags minLag..maxLag
    private readonly int _windowSeconds;

    // Magnitude history, newest last, in a buffer twice the needed length so that appending is amortised O(1).
    private readonly float[] _history;
    private int _end;                       // one past the newest sample
    private readonly int _keep;             // samples kept behind the newest for the lags

    // Products m(t) m(t-L) of the current second, indexed by maxLag - L so that one contiguous slice of the history
    // multiplies them all; and the same for each of the window's seconds (ring).
    private readonly float[] _current;
    private readonly float[][] _seconds;
    private readonly int[] _secondCounts;
    private int _windowCount;               // Σ of the seconds' counts
    private readonly int _expected;         // samples a full window holds
    private readonly double[] _secondEnergies;
    private double _currentEnergy;
    private int _secondsFilled;
    private int _ring;

    // Running energy sum Σ m², per sample, for the energies of the shifted windows: a ring whose slots are written
    // twice, at slot and slot + ring size, so that any run of lags reads as one slice however the ring has turned.
    private readonly double[] _cumulative;
    private readonly int _mask;             // ring size - 1
    private long _samples;                  // samples since the stretch began
    private double _energy;

    private long _second = long.MinValue;   // the second the current samples belong to
    private long _nextSecond = long.MinValue; // start of the second after it, microseconds
    private int _currentCount;
    private readonly float[] _r;            // r by lag, minLag first
    private readonly double[] _window;      // Σ over the window's seconds of their products, by maxLag - L

    public RhythmAnalyzer(StepCounterOptions options, bool vectorised)
    {
        _options = options;
        _vectorised = vectorised;
        _rate = options.InternalRateHz;
        _windowSeconds = options.WindowSeconds;
        _minLag = Math.Max(2, (int)Math.Floor(_rate / options.MaxCadence));

        // The longest period searched is a stride at the slowest cadence; two more lags for the peak test.
        _maxLag = (int)Math.Ceiling(2 * _rate / options.MinCadence) + 2;
        _lags = _maxLag - _minLag + 1;
        _keep = _maxLag + 1;
        _history = new float[4 * (_keep + RunLength)];
        _current = new float[_lags];
        _seconds = new float[_windowSeconds][];
        for (var s = 0; s < _windowSeconds; s++)
        {
            _seconds[s] = new float[_lags];
        }

        _secondCounts = new int[_windowSeconds];
        _expected = (int)Math.Floor(_windowSeconds * _rate);
        _secondEnergies = new double[_windowSeconds];
        // A power of two, so that a sample's slot is a mask, not a division.
        var ring = (int)BitOperations.RoundUpToPowerOf2((uint)(Math.Ceiling((_windowSeconds + 1) * _rate) + _maxLag + 4));
        _cumulative = new double[2 * ring];
        _mask = ring - 1;
        _r = new float[_lags];
        _window = new double[_lags];
        _levelDecay = (float)(1 / (options.LevelSeconds * _rate));
        _clipLevels = (float)options.ClipLevels;
    }

    /// <summary>Lag range in grid samples (for tests and diagnostics).</summary>
    public (int Min, int Max) LagRange => (_minLag, _maxLag);

    /// <summary>Start of the second after the current one, microseconds: samples before it belong to the current second.</summary>
    public long NextSecondMicros => _nextSecond;

    /// <summary>True when a sample at <paramref name="timeMicros"/> would start a new second.</summary>
    public bool StartsSecond(long timeMicros) => timeMicros >= _nextSecond || _second == long.MinValue;

    /// <summary>
    /// Starts the second of <paramref name="timeMicros"/> (see <see cref="StartsSecond"/>). When the window before it
    /// is full, returns true with the verdict for the window's middle second.
    /// </summary>
    public bool BeginSecond(long timeMicros, out RhythmVerdict verdict)
    {
        verdict = default;
        var judged = false;
        var second = FloorDiv(timeMicros, Second);
        if (_second != long.MinValue)
        {
            judged = CloseSecond(out verdict);
        }

        _second = second;
        _nextSecond = (second + 1) * Second;
        return judged;
    }

    /// <summary>Forgets everything (a gap): the next window starts afresh.</summary>
    public void Reset()
    {
        _level = 0;
        _end = 0;
        _samples = 0;
        _energy = 0;

        // The sum before the stretch's first sample (slot -1) is 0: a first window that starts at the first sample
        // with a full history reads it, before the ring has come round to write it.
        _cumulative[_mask] = _cumulative[(2 * _mask) + 1] = 0;
        _secondsFilled = 0;
        _currentCount = 0;
        _currentEnergy = 0;
        _ring = 0;
        Array.Clear(_window);
        Array.Clear(_secondCounts);
        _windowCount = 0;
        Array.Clear(_secondEnergies);
        foreach (var second in _seconds)
        {
            Array.Clear(second);
        }

        _second = long.MinValue;
        _nextSecond = long.MinValue;
        Array.Clear(_current);
    }

    private bool CloseSecond(out RhythmVerdict verdict)
    {
        verdict = default;
        var slot = _ring;

        // The window's products follow as one second replaces the oldest (kept in double, so adding and
        // removing the same floats leaves no drift worth the name over days); the current second starts at zero.
        if (_vectorised)
        {
            SignalKernels.ReplaceOldest(_current, _seconds[slot], _window);
        }
        else
        {
            SignalKernels.ReplaceOldestScalar(_current, _seconds[slot], _window);
        }

        _windowCount += _currentCount - _secondCounts[slot];
        _secondCounts[slot] = _currentCount;
        _secondEnergies[slot] = _currentEnergy;
        _currentEnergy = 0;
        _currentCount = 0;
        _ring = _ring + 1 == _windowSeconds ? 0 : _ring + 1;
        _secondsFilled = Math.Min(_secondsFilled + 1, _windowSeconds);

        // A window needs all its seconds complete (each with its lagged history).
        var n = _windowCount;
        if (_secondsFilled < _windowSeconds || n < _expected)
        {
            return false;
        }

        // The window's middle second, the one judged, closed W/2 closes before this one.
        var middle = (_second - (_windowSeconds / 2)) * Second;
        var own = slot - (_windowSeconds / 2);
        own += own < 0 ? _windowSeconds : 0;
        Judge(n, middle, new Energy((float)_secondEnergies[own], _secondCounts[own]), out verdict);
        return true;
    }

    // The verdict is written through the caller's reference, field by field: returned by value, it went through a
    // stack copy that the caller read back whole before the stores had landed.
    private void Judge(int n, long middleStart, Energy second, out RhythmVerdict verdict)
    {
        // Energy of the window (the last n samples) and of the window shifted by L.
        var newest = _samples - 1;
        double Cumulative(long index) => _cumulative[(int)index & _mask];
        var e0 = Cumulative(newest) - Cumulative(newest - n);
        var rms = (float)Math.Sqrt(e0 / n);

        if (Energy.IsBelow(e0, n, _options.MinRmsG))
        {
            verdict = new RhythmVerdict(middleStart, rms, second, 0, 0);
            return;
        }

        // r(L) = C(L) / sqrt(E0 E(L)) in one pass, where the window shifted by L ends at newest - L: the products are
        // stored by maxLag - L, so the shifted windows' running sums are the slices from newest - maxLag on, in the
        // same order; the kernel writes r turned round, in lag order.
        var ends = _cumulative.AsSpan((int)(newest - _maxLag) & _mask, _lags);
        var starts = _cumulative.AsSpan((int)(newest - _maxLag - n) & _mask, _lags);
        if (_vectorised)
        {
            SignalKernels.CorrelationReversed(_window, ends, starts, e0, _r);
        }
        else
        {
            SignalKernels.CorrelationReversedScalar(_window, ends, starts, e0, _r);
        }

        // Participation ratio of the seconds' energies.
        double sum = 0, squares = 0;
        foreach (var e in _secondEnergies)
        {
            sum += e;
            squares += e * e;
        }

        var steadiness = squares > 0 ? (float)(sum * sum / (_windowSeconds * squares)) : 0;
        var period = FirstStrongPeak(out var strength);
        if (period == 0)
        {
            verdict = new RhythmVerdict(middleStart, rms, second, 0, 0, steadiness);
            return;
        }

        var step = period;
        var half = period / 2;
        if (half >= _minLag + 1 && (HalfBump(period) >= _options.HalfPeriodBump || _rate / period < _options.MinCadence))
        {
            step = half;
        }

        // A run's cadence at a walk's intensity: a walk whose steps each show two peaks (the heel strike and a second
        // bump within the step) repeats at half its step. Its step is the whole period, or twice the one read.
        var cadence = _rate / step;
        if (cadence > _options.RunningCadence && Energy.IsBelow(e0, n, _options.RunningRmsG))
        {
            step = step < period ? period : 2 * period;
            cadence = _rate / step;
        }

        verdict = cadence >= _options.MinCadence && cadence <= _options.MaxCadence
            ? new RhythmVerdict(middleStart, rms, second, strength, step / _rate, steadiness)
            : new RhythmVerdict(middleStart, rms, second, strength, 0, steadiness);
    }

    // The shortest lag whose r is a local maximum within NearBestPeak of the best one (two lags above it are kept
    // for the peak test and the half-period bump); refined by a parabola.
    private double FirstStrongPeak(out float strength)
    {
        strength = 0;
        ReadOnlySpan<float> r = _r.AsSpan(0, _lags);
        var last = _lags - 3;
        var i = _vectorised
            ? SignalKernels.FirstStrongPeak(r, last, _options.NearBestPeak)
            : SignalKernels.FirstStrongPeakScalar(r, last, _options.NearBestPeak);
        if (i == 0)
        {
            return 0;
        }

        strength = r[i];
        var curvature = r[i - 1] - (2 * r[i]) + r[i + 1];
        var offset = curvature < 0 ? 0.5 * (r[i - 1] - r[i + 1]) / curvature : 0;
        return _minLag + i + Math.Clamp(offset, -0.5, 0.5);
    }

    // How far r at half the period rises above r a quarter period either side: a second heel strike within the stride.
    private float HalfBump(double period)
    {
        var half = period / 2;
        var quarter = period / 4;
        var around = Math.Max(RAt(half - 1), RAt(half + 1));
        var centre = Math.Max(RAt(half), around);
        return centre - Math.Max(RAt(half - quarter), RAt(half + quarter));
    }

    // r at a fractional lag, linear between its neighbours; clamped to the lags searched, where the position is at
    // least 0 and truncation is its floor.
    private float RAt(double lag)
    {
        var position = (lag < _minLag ? _minLag : lag > _maxLag ? _maxLag : lag) - _minLag;
        var i = Math.Min((int)position, _lags - 2);
        var t = (float)(position - i);
        return _r[i] + ((_r[i + 1] - _r[i]) * t);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;
}

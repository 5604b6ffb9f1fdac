using System.Runtime.InteropServices;

namespace Sensing.Signal.Steps;

/// <summary>
/// The walking gate and the count. Verdicts arrive one per second, a few seconds behind the step-candidate peaks.
/// </summary>
/// <remarks>
/// <para>The gate: a walk starts at a second whose rhythm is strong (<see cref="StepCounterOptions.StartCorrelation"/>)
/// and is confirmed once it holds <see cref="StepCounterOptions.SecondsToConfirm"/> strong seconds at a consistent
/// cadence with the wrist moving as a walk moves it (<see cref="StepCounterOptions.MinWalkRmsG"/>; or
/// <see cref="StepCounterOptions.SustainedSeconds"/> weaker ones at walking intensity) and
/// <see cref="StepCounterOptions.StepsToConfirm"/> steps; an unconfirmed start is dropped. The seconds just before a
/// strong start that led into it at walking intensity, each at the cadence of the next (or the start's) with only a
/// weaker rhythm, are the walk's first (a walk gathers rhythm as it starts); a weak rhythm never starts a walk on its
/// own. A confirmed walk's first <see cref="StepCounterOptions.SettleSeconds"/> are counted only once it is that old,
/// at the cadence it settled on: a walk often starts read at its stride. A confirmed walk goes on through weaker
/// seconds near its cadence, and through up to <see cref="StepCounterOptions.MaxLapseSeconds"/> seconds without rhythm
/// if the rhythm comes back (a turn, a door); a period read at twice or half the walk's is taken as the walk's. Arm
/// movement, typing and driving make peaks, but not seconds of one rhythm.</para>
/// <para>The count: inside a walk each step is the magnitude peak nearest to one step period after the previous
/// step, looked for between <see cref="StepCounterOptions.StepSearchEarly"/> and <see cref="StepCounterOptions.StepSearchLate"/>
/// periods; with no peak there it is placed on the cadence (one foot's heel strike can be too soft to show on the
/// wrist, which is why peak-only counters halve some walks). A verdict speaks for the middle of its window, so at each
/// end of a walk the steps are followed outwards through real peaks only, as far as they keep the cadence; and a second
/// inside a walk too still to judge by itself (<see cref="StepCounterOptions.MinRmsG"/>) is counted like an edge, since
/// a walk that stops dead is still heard by the windows of the next few seconds and the cadence would run on without
/// it.</para>
/// </remarks>
internal sealed class WalkingBouts
{
    private const long OneSecond = 1_000_000;
    private const int TrimBatch = 64; // peaks dropped at once, at the least

    // A walk's typical step height, before it has a step, is the mean peak over its first seconds: about eight steps.
    // One second holds two, and which two depends on where the second falls.
    private const long HeightMicros = 4 * OneSecond;

    private readonly StepCounterOptions _options;
    private readonly long _reachMicros;      // how far outside its judged seconds a walk's steps may be followed
    private readonly long _settleMicros;     // how long a confirmed walk's first seconds wait to be counted
    private readonly List<long> _peaks = []; // step-candidate peaks, in time order
    private readonly List<float> _heights = []; // their band-passed magnitude, g
    private int _hint;           // where the last search for a peak ended (see LowerBound)
    private double _walkHeight;  // typical height of the walk's step peaks, g
    private readonly List<RhythmVerdict> _held = []; // seconds of a walk not yet counted: unconfirmed, or not yet settled
    private readonly List<RhythmVerdict> _lapse = []; // seconds without rhythm inside a walk, awaiting its return
    private WalkingState _state;
    private readonly List<RhythmVerdict> _idle = []; // the last seconds judged while idle, for a walk's weak start
    private double _period;        // the walk's step period, seconds
    private int _strong;           // strong seconds of the walk
    private int _rhythmic;         // held seconds with a rhythm of their own (not bridged lapses)
    private double _rhythmicRms;   // Σ of their RMS, g
    private double _expectedSteps; // steps the held seconds' cadence implies
    private long _lastStep = long.MinValue;    // last step of the walk in progress
    private long _lastEmitted = long.MinValue; // last step counted by any walk
    private long _walkEnd;         // end of the walk's last judged walking second
    private long _judgedUntil = long.MinValue;
    private long _stretchFirstJudged = long.MinValue; // the first second judged since the data (re)started

    public WalkingBouts(StepCounterOptions options)
    {
        _options = options;
        _reachMicros = (long)(options.EdgeReachSeconds * OneSecond);
        _settleMicros = (long)(options.SettleSeconds * OneSecond);
    }

    /// <summary>Steps counted.</summary>
    public long Steps { get; private set; }

    /// <summary>Seconds judged to be confirmed walking.</summary>
    public long WalkingSeconds { get; private set; }

    /// <summary>When set, receives the time of every counted step.</summary>
    public List<long>? StepTimes { get; set; }

    /// <summary>No step before this time (microseconds) will be counted from now on.</summary>
    public long SettledMicros
    {
        get
        {
            var floor = _lastEmitted == long.MinValue ? long.MinValue : _lastEmitted + 1;
            var earliest = _state switch
            {
                WalkingState.Walking when _held.Count > 0 => _held[0].StartMicros - _reachMicros,
                WalkingState.Walking => _lastStep + 1,
                WalkingState.Candidate => _held[0].StartMicros - _reachMicros,
                // A walk that starts at the next strong second takes the idle seconds before it that held its
                // cadence as its first, and follows its steps back from there.
                _ => _idle.Count > 0 ? _idle[0].StartMicros - _reachMicros
                    : _judgedUntil == long.MinValue ? long.MinValue : _judgedUntil - _reachMicros,
            };
            return Math.Max(floor, earliest);
        }
    }

    /// <summary>A step-candidate peak of the band-passed magnitude at <paramref name="time"/>, in time order.</summary>
    public void Peak(long time, float value)
    {
        _peaks.Add(time);
        _heights.Add(value);
    }

    /// <summary>When set, receives every judged second with the gate's state after it, in time order.</summary>
    public Action<JudgedSecond>? Judged { get; set; }

    /// <summary>The verdict on one second, in time order.</summary>
    public void Second(in RhythmVerdict verdict)
    {
        if (_stretchFirstJudged == long.MinValue)
        {
            _stretchFirstJudged = verdict.StartMicros;
        }

        _judgedUntil = verdict.StartMicros + OneSecond;
        var period = verdict.StepPeriodSeconds;
        var strong = verdict.HasPeriod && verdict.Strength >= _options.StartCorrelation && verdict.Steadiness >= _options.MinSteadiness;
        var rhythmic = IsRhythmic(verdict);
        var tolerance = strong ? _options.CadenceTolerance : _options.WeakCadenceTolerance;
        switch (_state)
        {
            case WalkingState.Idle:
                if (strong)
                {
                    StartCandidate(verdict);
                }
                else
                {
                    // Kept as far back as a walk's edge may reach: the lead-in of a walk that may start next second.
                    _idle.Add(verdict);
                    if (_idle.Count > _options.EdgeReachSeconds)
                    {
                        _idle.RemoveAt(0);
                    }
                }

                break;

            default:
                if (rhythmic && Near(period, _period, tolerance))
                {
                    Continue(verdict, period, strong);
                }
                else if (strong && Near(period, _period / 2, tolerance))
                {
                    // A strong repeat at half the walk's period: the walk's period was a stride; its steps are half.
                    Halve();
                    Continue(verdict, period, strong);
                }
                else if (rhythmic && ContinuesAt(verdict, _period, tolerance) is { } walkPeriod)
                {
                    // The same walk read at its stride (or weakly at half): keep the walk's cadence.
                    Continue(verdict, walkPeriod, strong);
                }
                else if (strong)
                {
                    // A different rhythm: the walk ended and something else (a run, another walk) began.
                    EndWalk();
                    StartCandidate(verdict);
                }
                else
                {
                    _lapse.Add(verdict);
                    if (_lapse.Count > _options.MaxLapseSeconds)
                    {
                        EndWalk();
                    }
                }

                break;
        }

        TrimPeaks();
        Judged?.Invoke(new JudgedSecond(verdict.StartMicros, verdict.RmsG, verdict.OwnEnergy.RmsG, verdict.Strength, verdict.StepPeriodSeconds, verdict.Steadiness, _state, Steps));
    }

    /// <summary>A gap or the end of the stream: a confirmed walk ends, an unconfirmed one is dropped.</summary>
    public void EndStretch()
    {
        EndWalk();
        _idle.Clear();
        _peaks.Clear();
        _heights.Clear();
        _stretchFirstJudged = long.MinValue;
    }

    private void StartCandidate(in RhythmVerdict verdict)
    {
        _state = WalkingState.Candidate;
        _period = verdict.StepPeriodSeconds;
        _strong = 0;
        _rhythmic = 0;
        _rhythmicRms = 0;
        _expectedSteps = 0;
        _held.Clear();
        _lapse.Clear();
        _lastStep = long.MinValue;

        // The seconds just before, each of which held the cadence of the second after it (or the strong start's) with a
        // weaker rhythm at walking intensity: the walk's start. A walk gathers rhythm as it starts, and its cadence
        // settles as it does.
        var first = _idle.Count;
        Span<double> periods = stackalloc double[_idle.Count];
        var next = verdict.StepPeriodSeconds;
        for (var expected = verdict.StartMicros - OneSecond; first > 0 && _idle[first - 1].StartMicros == expected && LeadsInto(_idle[first - 1], next) is { } lead; expected -= OneSecond)
        {
            first--;
            periods[first] = lead;
            next = lead;
        }

        for (var i = first; i < _idle.Count; i++)
        {
            Continue(_idle[i], periods[i], strong: false);
        }

        _idle.Clear();
        Continue(verdict, _period, strong: true);
    }

    // The period of a second whose weaker rhythm at walking intensity already held the cadence of the second after it
    // or the strong start's (its own; or that cadence, when it read its stride or half); null when it did not.
    private double? LeadsInto(in RhythmVerdict v, double next)
        => IsRhythmic(v) && v.RmsG >= _options.SustainedRmsG
            ? ContinuesAt(v, next, _options.WeakCadenceTolerance) ?? ContinuesAt(v, _period, _options.WeakCadenceTolerance)
            : null;

    private bool IsRhythmic(in RhythmVerdict v) => v.HasPeriod && v.Strength >= _options.ContinueCorrelation;

    // The period a second goes on with a walk of the given period at: its own near it, the walk's when it reads the
    // walk's stride or half of it; null when it is another rhythm.
    private double? ContinuesAt(in RhythmVerdict v, double walkPeriod, double tolerance)
    {
        var p = v.StepPeriodSeconds;
        if (Near(p, walkPeriod, tolerance))
        {
            return p;
        }

        return Near(p, 2 * walkPeriod, tolerance) || Near(p, walkPeriod / 2, tolerance) ? walkPeriod : null;
    }

    private void Continue(in RhythmVerdict verdict, double period, bool strong)
    {
        // The rhythm came back: the lapse was part of the walk, at its cadence.
        foreach (var lapse in _lapse)
        {
            Walk(new RhythmVerdict(lapse.StartMicros, 0, lapse.OwnEnergy, 0, _period));
        }

        _lapse.Clear();
        if (strong)
        {
            _strong++;
        }

        Walk(verdict with { StepPeriodSeconds = period });

        // The walk's cadence follows its strong seconds slowly: one misread second does not move it far, and weak
        // seconds, which only continue a walk, cannot lead it astray.
        if (strong)
        {
            _period += 0.2 * (period - _period);
        }
    }

    // The walk's period was a stride: so were the held seconds' periods.
    private void Halve()
    {
        _period /= 2;
        _expectedSteps = 0;
        for (var i = 0; i < _held.Count; i++)
        {
            var held = _held[i];
            if (Near(held.StepPeriodSeconds, 2 * _period, _options.CadenceTolerance))
            {
                _held[i] = held with { StepPeriodSeconds = held.StepPeriodSeconds / 2 };
            }

            _expectedSteps += 1 / _held[i].StepPeriodSeconds;
        }
    }

    private void Walk(in RhythmVerdict second)
    {
        if (_state == WalkingState.Walking && _held.Count == 0)
        {
            Track(second);
            WalkingSeconds++;
            return;
        }

        _held.Add(second);
        _expectedSteps += 1 / second.StepPeriodSeconds;
        if (second.Strength > 0)
        {
            _rhythmic++;
            _rhythmicRms += second.RmsG;
        }

        if (_state == WalkingState.Candidate && (Confirmed || Sustained) && _expectedSteps >= _options.StepsToConfirm)
        {
            _state = WalkingState.Walking;
        }

        // A confirmed walk's first seconds are counted once the walk is old enough for its cadence to have settled.
        if (_state == WalkingState.Walking && second.StartMicros - _held[0].StartMicros >= _settleMicros)
        {
            CountHeld();
        }
    }

    // The held seconds of a confirmed walk are walking: their steps count now.
    private void CountHeld()
    {
        foreach (var held in _held)
        {
            Track(held);
        }

        WalkingSeconds += _held.Count;
        _held.Clear();
    }

    // A strong rhythm held for a few seconds, with the wrist moving at least as a slow walk moves it: a standing
    // person's sway can keep a strong rhythm at a still wrist's level.
    private bool Confirmed => _strong >= _options.SecondsToConfirm && HeldRmsG >= _options.MinWalkRmsG;

    // A rhythm that never reads strong but holds the walk's cadence second after second at walking intensity: stairs,
    // a slow or uneven walk. A car's or a keyboard's rhythm is far weaker than a walk's.
    private bool Sustained => _rhythmic >= _options.SustainedSeconds && HeldRmsG >= _options.SustainedRmsG;

    // Mean RMS of the held seconds that had a rhythm of their own, g.
    private double HeldRmsG => _rhythmic > 0 ? _rhythmicRms / _rhythmic : 0;

    // Counts the steps of one walking second at its step period.
    private void Track(in RhythmVerdict second)
    {
        var (start, end) = (second.StartMicros, second.StartMicros + OneSecond);
        var period = (long)(second.StepPeriodSeconds * OneSecond);
        var still = second.OwnEnergy.IsBelow(_options.MinRmsG);
        if (_lastStep == long.MinValue)
        {
            // The walk's first step: the first peak in its first period, or the middle of that period.
            var first = FirstPeakIn(start, start + period) ?? start + (period / 2);
            if (first <= _lastEmitted)
            {
                first = _lastEmitted + (period / 2);
            }

            // Its windows heard the walk up to half a window before this second; at the start of the data, from the start.
            var limit = start == _stretchFirstJudged ? long.MinValue : start - _reachMicros;
            if (_lastEmitted != long.MinValue)
            {
                limit = Math.Max(limit, _lastEmitted + (long)(_options.StepSearchEarly * period));
            }

            _walkHeight = MeanHeight(start, start + HeightMicros);
            FollowBackwards(first, period, limit);
            Emit(first);
        }

        while (true)
        {
            // The peak nearest to one period on, or the cadence itself when there is none.
            // A second too still to judge by itself (a walk that stopped, still heard by the windows around it) is
            // treated as a walk's edge: a step there is a real peak of the walk's height, or none; the cadence runs on.
            var expected = _lastStep + period;
            var minHeight = still ? _options.EdgeHeight * _walkHeight : double.MinValue;
            var index = NearestIndex(expected, _lastStep + (long)(_options.StepSearchEarly * period), _lastStep + (long)(_options.StepSearchLate * period), minHeight);
            var t = index >= 0 ? _peaks[index] : expected;
            if (t >= end)
            {
                break;
            }

            if (index < 0 && still)
            {
                _lastStep = t;
                continue;
            }

            if (index >= 0)
            {
                _walkHeight = _walkHeight == 0 ? _heights[index] : _walkHeight + (0.1 * (_heights[index] - _walkHeight));
            }

            Emit(t);
        }

        _walkEnd = end;
    }

    private void EndWalk()
    {
        if (_state == WalkingState.Walking)
        {
            CountHeld();
        }

        if (_state == WalkingState.Walking && _lastStep != long.MinValue)
        {
            // Beyond the last judged second the walk may have gone on: follow its real peaks out.
            FollowForwards(_walkEnd + _reachMicros);
        }

        _state = WalkingState.Idle;
        _held.Clear();
        _lapse.Clear();
        _lastStep = long.MinValue;
    }

    // Before a walk's first step, the steps that its first windows already heard: real peaks at the cadence and of
    // the walk's height, where one soft step between two real ones may be missing.
    private void FollowBackwards(long first, long period, long limit)
    {
        var found = new List<long>();
        var at = first;

        while (true)
        {
            if (Edge(at - period, period) is { } t && t >= limit)
            {
                found.Add(t);
                at = t;

            }
            else if (Edge(at - (2 * period), period) is { } t2 && t2 >= limit)
            {
                found.Add((at + t2) / 2);
                found.Add(t2);
                at = t2;

            }
            else
            {
                break;
            }
        }

        for (var i = found.Count - 1; i >= 0; i--)
        {
            Emit(found[i]);
        }
    }

    // After a walk's last judged second, likewise forwards.
    private void FollowForwards(long limit)
    {
        var period = (long)(_period * OneSecond);

        while (true)
        {
            if (Edge(_lastStep + period, period) is { } t && t < limit)
            {
                Emit(t);

            }
            else if (Edge(_lastStep + (2 * period), period) is { } t2 && t2 < limit)
            {
                Emit((_lastStep + t2) / 2);
                Emit(t2);

            }
            else
            {
                break;
            }
        }
    }

    // At a walk's edge: the peak nearest to an expected step, close to the cadence and of the walk's height.
    private long? Edge(long expected, long period)
    {
        var tolerance = (long)(_options.EdgeTolerance * period);
        return Nearest(expected, expected - tolerance, expected + tolerance, _options.EdgeHeight * _walkHeight);
    }

    // The peak nearest to target within [from, to] and at least minHeight high; the earlier on a tie.
    private long? Nearest(long target, long from, long to, double minHeight = double.MinValue)
        => NearestIndex(target, from, to, minHeight) is var i and >= 0 ? _peaks[i] : null;

    // The index of that peak, or -1.
    private int NearestIndex(long target, long from, long to, double minHeight = double.MinValue)
    {
        var best = -1;
        var bestDistance = long.MaxValue;
        for (var i = LowerBound(from); i < _peaks.Count && _peaks[i] <= to; i++)
        {
            var distance = Math.Abs(_peaks[i] - target);
            if (distance < bestDistance && _heights[i] >= minHeight)
            {
                best = i;
                bestDistance = distance;
            }
        }

        return best;
    }

    // Mean height of the peaks in [from, to): the walk's step height before any step has been tracked.
    private double MeanHeight(long from, long to)
    {
        double sum = 0;
        var n = 0;
        for (var i = LowerBound(from); i < _peaks.Count && _peaks[i] < to; i++)
        {
            sum += _heights[i];
            n++;
        }

        return n > 0 ? sum / n : 0;
    }

    private long? FirstPeakIn(long from, long to)
    {
        var i = LowerBound(from);
        return i < _peaks.Count && _peaks[i] < to ? _peaks[i] : null;
    }

    // The first peak at or after time. Most searches start near the last one found (a walk's steps move forward a
    // period at a time), so the search walks a few peaks on from there before it falls back to bisection.
    private int LowerBound(long time)
    {
        var peaks = CollectionsMarshal.AsSpan(_peaks);
        int lo, hi;
        var hint = Math.Min(_hint, peaks.Length);
        if (hint > 0 && peaks[hint - 1] >= time)
        {
            (lo, hi) = (0, hint - 1);
        }
        else
        {
            lo = hint;
            var near = Math.Min(peaks.Length, hint + 4);
            while (lo < near && peaks[lo] < time)
            {
                lo++;
            }

            hi = lo < near ? lo : peaks.Length;
        }

        _hint = Bisect(peaks, time, lo, hi);
        return _hint;
    }

    // The first of peaks[lo, hi) at or after time (hi when none is).
    private static int Bisect(ReadOnlySpan<long> peaks, long time, int lo, int hi)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (peaks[mid] < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // Peaks no search can reach any more (a second before the settled time) go, a batch at a time. Their search
    // leaves the hint alone: the count's next search starts where its last one ended, not back here.
    private void TrimPeaks()
    {
        if (_peaks.Count <= 2 * TrimBatch)
        {
            return;
        }

        var settled = SettledMicros;
        if (settled == long.MinValue)
        {
            return;
        }

        var drop = Bisect(CollectionsMarshal.AsSpan(_peaks), settled - OneSecond, 0, _peaks.Count);
        if (drop > TrimBatch)
        {
            _peaks.RemoveRange(0, drop);
            _heights.RemoveRange(0, drop);
            _hint = Math.Max(0, _hint - drop);
        }
    }

    private bool Near(double period, double reference, double tolerance) => Math.Abs((period / reference) - 1) <= tolerance;

    private void Emit(long time)
    {
        _lastStep = time;
        _lastEmitted = time;
        Steps++;
        StepTimes?.Add(time);
    }
}

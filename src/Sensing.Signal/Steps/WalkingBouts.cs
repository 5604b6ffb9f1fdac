namespace Sensing.Signal.Steps;

/// <summary>
/// The walking gate and the count. Step peaks arrive as they are found; verdicts arrive a few seconds later, one per
/// second (walking or not). A peak counts only if its second is walking and belongs to a bout of at least
/// <see cref="StepCounterOptions.SecondsToConfirm"/> walking seconds in a row holding at least
/// <see cref="StepCounterOptions.StepsToConfirm"/> steps. Until a bout is confirmed its peaks are
/// held; then they are all counted (so the start of a walk is not lost); peaks in seconds that are not walking are
/// dropped. Arm movement, typing and driving make peaks, but not seconds of walking rhythm.
/// </summary>
internal sealed class WalkingBouts
{
    private readonly int _secondsToConfirm;
    private readonly Queue<long> _pending = new(); // peaks whose second has no verdict yet
    private readonly List<long> _held = [];        // peaks of a bout not yet confirmed
    private readonly List<long> _inSecond = [];
    private const double MinFillShare = 0.35;
    private readonly double _fillBelow;
    private double _phase; // steps the cadence expects but no peak has yet accounted for
    private readonly int _stepsToConfirm;
    private int _boutSeconds;
    private bool _confirmed;
    private long _judgedUntil = long.MinValue;

    public WalkingBouts(StepCounterOptions options)
    {
        _secondsToConfirm = options.SecondsToConfirm;
        _stepsToConfirm = options.StepsToConfirm;
        _fillBelow = options.FillBelowCadence;
    }

    /// <summary>Steps counted.</summary>
    public long Steps { get; private set; }

    /// <summary>Seconds judged to be confirmed walking.</summary>
    public long WalkingSeconds { get; private set; }

    /// <summary>When set, receives the time of every counted step.</summary>
    public List<long>? StepTimes { get; set; }

    /// <summary>
    /// No step before this time (microseconds) will be counted from now on: the earliest of a held bout's first step,
    /// a peak still waiting for its verdict, and the next second to be judged.
    /// </summary>
    public long SettledMicros
    {
        get
        {
            var settled = _judgedUntil;
            if (_held.Count > 0)
            {
                settled = Math.Min(settled, _held[0]);
            }

            if (_pending.Count > 0)
            {
                settled = Math.Min(settled, _pending.Peek());
            }

            return settled;
        }
    }

    /// <summary>A step-like peak at <paramref name="time"/>, in time order.</summary>
    public void Peak(long time)
    {
        Trace?.Invoke($"peak {time / 1e6:F2}");
        _pending.Enqueue(time);
    }

    internal Action<string>? Trace { get; set; }

    /// <summary>The verdict for the second starting at <paramref name="start"/>: walking at <paramref name="cadence"/> steps/s, or not (0).</summary>
    public void Second(long start, long length, double cadence)
    {
        var walking = cadence > 0;
        var end = start + length;
        _judgedUntil = Math.Max(_judgedUntil, end);
        Trace?.Invoke($"second {start / 1e6:F0} {(walking ? "WALK" : "-")}");
        if (!walking)
        {
            Break();
            while (_pending.Count > 0 && _pending.Peek() < end)
            {
                _pending.Dequeue();
            }

            return;
        }

        _boutSeconds++;
        _inSecond.Clear();
        while (_pending.Count > 0 && _pending.Peek() < end)
        {
            var time = _pending.Dequeue();
            if (time >= start)
            {
                _inSecond.Add(time); // earlier ones came before any verdict of this stretch
            }
        }

        // On the wrist one side's heel strikes can be too soft to make a peak: when a second has about half the
        // peaks its cadence asks for, the missing steps are placed evenly through it. A second with far fewer
        // peaks than that is not walking all through (the start or end of a walk) and keeps the peaks it has.
        var expected = cadence * (length / 1e6);
        _phase += expected;
        if (_inSecond.Count < _fillBelow * expected && _inSecond.Count >= MinFillShare * expected)
        {
            var whole = Math.Floor(_phase);
            var steps = (int)whole;
            _phase -= whole;
            _inSecond.Clear();
            for (var i = 0; i < steps; i++)
            {
                _inSecond.Add(start + (long)((i + 0.5) * length / steps));
            }
        }
        else
        {
            _phase = Math.Max(0, _phase - _inSecond.Count);
        }

        foreach (var time in _inSecond)
        {
            if (_confirmed)
            {
                Count(time);
            }
            else
            {
                _held.Add(time);
            }
        }

        if (!_confirmed && _boutSeconds >= _secondsToConfirm && _held.Count >= _stepsToConfirm)
        {
            // Sustained: enough seconds of rhythm and enough steps in them. The held steps count now.
            _confirmed = true;
            foreach (var time in _held)
            {
                Count(time);
            }

            _held.Clear();
            WalkingSeconds += _boutSeconds - 1;
        }

        if (_confirmed)
        {
            WalkingSeconds++;
        }
    }

    /// <summary>Not walking, a gap, or the end: a bout that was never confirmed is dropped.</summary>
    public void Break()
    {
        _phase = 0;
        _held.Clear();
        _boutSeconds = 0;
        _confirmed = false;
    }

    /// <summary>A gap or the end of the stream: peaks still waiting for a verdict are dropped.</summary>
    public void EndStretch()
    {
        Break();
        _pending.Clear();
    }

    private void Count(long time)
    {
        Steps++;
        StepTimes?.Add(time);
    }
}

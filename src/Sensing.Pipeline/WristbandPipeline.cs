using Sensing.Activity;
using Sensing.Activity.Model;
using Sensing.Activity.Resampling;
using Sensing.Signal.Resampling;
using Sensing.Core;
using Sensing.Signal.Steps;

namespace Sensing.Pipeline;

/// <summary>
/// One wristband's stream through the whole signal pipeline: the step counter and the activity classifier side by
/// side, combined into <see cref="MinuteEpoch"/>s. A step counts only if the classifier did not put its 10 s window
/// in a class where nobody walks (<see cref="WristbandPipelineOptions.NoStepClasses"/>); a step in a window with no
/// class (a gap, the stream's ragged ends) keeps the counter's verdict.
/// </summary>
/// <remarks>
/// <para>Minutes come out in time order, each once it can no longer change: the classifier has decided a window at or
/// after its end and the step counter has settled past it. The classifier holds windows back until its non-wear
/// verdict is final: a window or two for a moving band, up to an hour for a still one, so a live stream's minutes
/// trail it by that much; <see cref="ProvisionalSteps"/> is the counter's figure now, before the classifier's veto.</para>
/// <para>Blocks may be cut anywhere: the minutes depend only on the samples. Not thread-safe: one per stream.</para>
/// </remarks>
public sealed class WristbandPipeline
{
    private const long MinuteMicros = 60_000_000;

    private readonly StepCounter _counter;
    private readonly ActivityPipeline _activity;
    private readonly GridFeeder _feeder;
    private SharedGrid _shared;
    private readonly IReadOnlySet<ActivityClass> _noSteps;
    private readonly List<long> _found = []; // the counter's steps since the last Advance
    private readonly List<(int Window, int Count)> _held = []; // steps not yet placed, per 10 s window (as an offset), from _heldFirst on
    private readonly Queue<long> _heldTimes = new(); // their times, only when StepTimes is set
    private readonly Queue<ActivityWindow> _windows = new();
    private readonly SortedList<long, MinuteEpoch> _open = []; // a few to an hour of minutes, taken from the front: two arrays, no enumerator to take the first
    private readonly Queue<MinuteEpoch> _ready = new();
    private readonly long[] _activitySeconds = new long[ActivityClassNames.All.Count];
    private int _heldFirst;
    private WindowOffsets _heldWindows; // _held's windows as offsets from the first step's: 8 bytes a window, not 16
    private long _decidedUntil = long.MinValue; // activity windows before this are all known
    private bool _completed;

    /// <param name="nominalRateHz">The input's nominal sample rate (sizes the anti-alias filter).</param>
    /// <param name="hasAxes">False for magnitude-only input.</param>
    /// <param name="model">The activity model; null for the shipped one.</param>
    /// <param name="options">Null for the defaults.</param>
    public WristbandPipeline(double nominalRateHz, bool hasAxes = true, ActivityModel? model = null, WristbandPipelineOptions? options = null)
    {
        options ??= new WristbandPipelineOptions();
        var steps = options.Steps ?? new StepCounterOptions();
        if ((long)Math.Round(1e6 / steps.InternalRateHz) != WindowGrid.PeriodMicros)
        {
            throw new ArgumentException($"The step counter's grid ({steps.InternalRateHz} Hz) must be the classifier's ({WindowGrid.RateHz} Hz): they share it.", nameof(options));
        }

        _counter = new StepCounter(nominalRateHz, hasAxes, steps, options.Vectorised) { StepTimes = _found };
        _activity = new ActivityPipeline(model ?? ActivityModel.LoadDefault());
        _activity.SetInputKind(hasAxes);
        _shared = new SharedGrid(_counter, _activity);

        // One front end for both: silences up to the classifier's bridge are interpolated, longer ones end a walk too.
        var grid = new GroupedGrid(nominalRateHz, WindowGrid.PeriodMicros, TimeSpan.FromTicks(WindowGrid.MaxBridgeMicros * 10), options.Vectorised);
        _feeder = new GridFeeder(grid, hasAxes, options.Vectorised);
        _noSteps = options.NoStepClasses;
    }

    /// <summary>Steps in the minutes emitted so far and in those still open (after the classifier's veto).</summary>
    public long Steps { get; private set; }

    /// <summary>Steps the counter has found, before the classifier's veto; runs ahead of <see cref="Steps"/>.</summary>
    public long ProvisionalSteps => _counter.Steps;

    /// <summary>Steps the classifier vetoed (in windows of <see cref="WristbandPipelineOptions.NoStepClasses"/>).</summary>
    public long VetoedSteps { get; private set; }

    /// <summary>When set (at construction), receives the time (microseconds) of every step counted (after the veto), in order.</summary>
    public List<long>? StepTimes { get; init; }

    /// <summary>When set, receives every second the step counter judges (see <see cref="StepCounter.Judged"/>).</summary>
    public Action<JudgedSecond>? Judged
    {
        get => _counter.Judged;
        set => _counter.Judged = value;
    }

    /// <summary>Seconds classified as <paramref name="activity"/> so far.</summary>
    public long ActivitySeconds(ActivityClass activity) => _activitySeconds[(int)activity];

    /// <summary>Finished minutes not yet taken, oldest first.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>The device axis that held the hanging forearm in walking (see <see cref="ActivityPipeline.WalkingForearmAxis"/>).</summary>
    public int? WalkingForearmAxis => _activity.WalkingForearmAxis;

    /// <summary>Takes the oldest finished minute, if any.</summary>
    public bool TryDequeue(out MinuteEpoch epoch) => _ready.TryDequeue(out epoch!);

    /// <summary>Feeds one block (any size); the block may be reused afterwards.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Complete"/>.</exception>
    public void Push(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        ThrowIfCompleted();

        _feeder.Push(block, ref _shared);
        Advance(final: false);
    }

    /// <summary>Feeds a run of raw counts at a fixed period (a wristband's frames): the same minutes as the same samples in g.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Complete"/>.</exception>
    public void Push(RawSamples samples)
    {
        ThrowIfCompleted();

        _feeder.Push(samples, ref _shared);
        Advance(final: false);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The pipeline was completed; create a new one for another stream.");
        }
    }

    /// <summary>Ends the stream: everything held back is decided and every minute becomes ready.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _feeder.Complete(ref _shared);
        _counter.CompleteDetector();
        _activity.CompleteWindows();
        Advance(final: true);
    }

    private void Advance(bool final)
    {
        while (_activity.TryDequeue(out var window))
        {
            _windows.Enqueue(window);
            _decidedUntil = window.EndMicros;
            var seconds = (int)((window.EndMicros - window.StartMicros) / 1_000_000);
            _activitySeconds[(int)window.Class] += seconds;
            Minute(window.StartMicros).AddSeconds(window.Class, seconds);
        }

        // Steps wait (up to the non-wear hour) as counts per 10 s window: the veto and the minute depend only on the
        // window a step falls in. Times are kept only for StepTimes.
        foreach (var step in _found)
        {
            var window = _heldWindows.Of(WindowGrid.WindowIndex(step));
            if (_held.Count > _heldFirst && _held[^1].Window == window)
            {
                _held[^1] = (window, _held[^1].Count + 1);
            }
            else
            {
                _held.Add((window, 1));
            }

            if (StepTimes is not null)
            {
                _heldTimes.Enqueue(step);
            }
        }

        _found.Clear();

        // Steps are placed once the classifier has spoken on their window (or will never: final).
        var stepsSettled = final ? long.MaxValue : _counter.SettledMicros;
        for (; _heldFirst < _held.Count && (final || (_heldWindows.IndexOf(_held[_heldFirst].Window) + 1) * WindowGrid.WindowMicros <= _decidedUntil); _heldFirst++)
        {
            Place(_heldWindows.IndexOf(_held[_heldFirst].Window), _held[_heldFirst].Count);
        }

        if (_heldFirst == _held.Count || _heldFirst > 64)
        {
            _held.RemoveRange(0, _heldFirst);
            _heldFirst = 0;
        }

        // Windows that end before every step still to come are of no more use (a long rest would pile them up).
        DropWindowsEndingBy(_heldFirst < _held.Count ? _heldWindows.IndexOf(_held[_heldFirst].Window) * WindowGrid.WindowMicros : stepsSettled);

        // A minute is finished when both the classifier and the counter have moved past its end.
        var finishedBefore = final ? long.MaxValue : Math.Min(_decidedUntil, stepsSettled);
        while (_open.Count > 0 && _open.Keys[0] + MinuteMicros <= finishedBefore)
        {
            _ready.Enqueue(_open.Values[0]);
            _open.RemoveAt(0);
        }
    }

    private void Place(long window, int count)
    {
        // Windows before the steps' are of no more use: steps arrive in time order.
        var start = window * WindowGrid.WindowMicros;
        DropWindowsEndingBy(start);

        var vetoed = _windows.TryPeek(out var head) && head.StartMicros <= start && _noSteps.Contains(head.Class);
        for (var i = 0; i < count && _heldTimes.Count > 0; i++)
        {
            var time = _heldTimes.Dequeue();
            if (!vetoed)
            {
                StepTimes!.Add(time);
            }
        }

        if (vetoed)
        {
            VetoedSteps += count;
            return;
        }

        Steps += count;
        Minute(start).Steps += count;
    }

    private void DropWindowsEndingBy(long micros)
    {
        while (_windows.TryPeek(out var w) && w.EndMicros <= micros)
        {
            _windows.Dequeue();
        }
    }

    private MinuteEpoch Minute(long micros)
    {
        var start = micros - (((micros % MinuteMicros) + MinuteMicros) % MinuteMicros);
        if (!_open.TryGetValue(start, out var epoch))
        {
            epoch = new MinuteEpoch(start);
            _open.Add(start, epoch);
        }

        return epoch;
    }
}

/// <summary>The one grid's points, to the step counter and the classifier alike.</summary>
internal readonly struct SharedGrid(StepCounter steps, ActivityPipeline activity) : IGridSink
{
    public void Samples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        steps.OnGridSamples(timeMicros, x, y, z);
        activity.OnGridSamples(timeMicros, x, y, z);
    }

    public void Gap(long fromMicros, long toMicros) => steps.OnGridGap(fromMicros, toMicros);
}

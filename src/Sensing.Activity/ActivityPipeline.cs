using Sensing.Activity.Features;
using Sensing.Activity.Model;
using Sensing.Activity.NonWear;
using Sensing.Activity.Resampling;
using Sensing.Activity.Smoothing;
using Sensing.Core;

namespace Sensing.Activity;

/// <summary>
/// Streaming activity classification: push blocks as they come, <see cref="Complete"/> at the end, and take the
/// classified 10 s windows from <see cref="Windows"/> (or <see cref="TryDequeue"/>) in time order.
/// </summary>
/// <remarks>
/// <para>Stages: <see cref="GridResampler"/> (decimation by SIMD group means, then 12.5 Hz grid, 10 s windows
/// aligned to multiples of 10 s), <see cref="FeatureExtractor"/>, the model's forest, the non-wear rule (which
/// holds windows back until its verdict is final: a window or two while the band moves, up to an hour while it is
/// still), then HMM smoothing by online Viterbi within each run of consecutive worn windows. Gaps and non-wear end
/// a run.</para>
/// <para>The output depends only on the samples, not on how they were cut into blocks. A recording shorter than one
/// window, or a window touched by a gap over 1 s, gives no window. Magnitude-only input (<see cref="SampleBlock.HasAxes"/>
/// false) cannot show posture or wear: its windows are reported as <see cref="ActivityClass.Other"/>.</para>
/// <para>Not thread-safe: one pipeline per stream.</para>
/// </remarks>
public sealed class ActivityPipeline : IWindowSink
{
    private readonly ActivityModel _model;
    private readonly GridResampler _resampler;
    [ThreadStatic]
    private static FeatureExtractor? t_extractor; // keeps nothing between windows: its work arrays are per thread, not per band
    private readonly WindowContext _context = new();
    private readonly NonWearDetector _nonWear = new();
    private readonly OnlineViterbi _viterbi;
    private readonly PendingWindows _pending = new(ActivityLabels.Count);
    private readonly Queue<ActivityWindow> _output = new();
    private readonly float[] _features = new float[WindowFeatures.Count];
    private readonly Action<long, int> _decided;
    private long _lastRunIndex = long.MinValue;
    private bool? _hasAxes;
    private bool _completed;

    /// <summary>Creates a pipeline for one stream.</summary>
    public ActivityPipeline(ActivityModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _resampler = new GridResampler(this);
        _viterbi = new OnlineViterbi(model.Smoother);
        _decided = (index, label) => Emit(index, ActivityLabels.ToClass(label));
    }

    /// <summary>Classified windows not yet dequeued, oldest first.</summary>
    public IReadOnlyCollection<ActivityWindow> Windows => _output;

    /// <summary>
    /// The device axis (0 x, 1 y, 2 z) that held the hanging forearm in walking, once half a minute of walking was
    /// seen: 1 in the wrist frame the model learned; another axis means the input needs an axis map for posture.
    /// </summary>
    public int? WalkingForearmAxis => _context.WalkingForearmAxis;

    /// <summary>Takes the oldest classified window, if any.</summary>
    public bool TryDequeue(out ActivityWindow window) => _output.TryDequeue(out window);

    /// <summary>Adds a block of samples (copied as needed; the block may be reused afterwards).</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Complete"/>, or when a stream switches between 3-axis and magnitude-only.</exception>
    public void Push(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_completed)
        {
            throw new InvalidOperationException("The activity pipeline was completed; create a new one for another stream.");
        }

        if (block.Count == 0)
        {
            return;
        }

        if (_hasAxes is { } axes && axes != block.HasAxes)
        {
            throw new InvalidOperationException("A stream cannot switch between 3-axis and magnitude-only blocks.");
        }

        _hasAxes = block.HasAxes;
        _resampler.Push(block.Time, block.X, block.Y, block.Z);
    }

    /// <summary>Ends the stream and classifies everything still held back.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _resampler.Complete();
        CompleteWindows();
    }

    /// <summary>
    /// For a caller that runs the shared grid itself (<c>WristbandPipeline</c>): the input's kind, then the grid's
    /// points, then <see cref="CompleteWindows"/>.
    /// </summary>
    internal void SetInputKind(bool hasAxes) => _hasAxes = hasAxes;

    /// <summary>Points of a grid run by the caller; see <see cref="SetInputKind"/>.</summary>
    internal void OnGridSamples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
        => _resampler.OnGridSamples(timeMicros, x, y, z);

    /// <summary>Ends a stream whose grid the caller ran: classifies everything still held back.</summary>
    internal void CompleteWindows()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _nonWear.Complete();
        Drain();
        _viterbi.Flush(_decided);
    }

    void IWindowSink.OnWindow(long windowIndex, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        if (_hasAxes == false)
        {
            // The magnitude alone shows neither posture nor the gravity direction the wear rule needs.
            Emit(windowIndex, ActivityClass.Other);
            return;
        }

        var summary = (t_extractor ??= new FeatureExtractor(WindowGrid.WindowSamples, WindowGrid.RateHz)).Compute(x, y, z, _features);
        _context.Append(windowIndex, summary, _features);
        var probabilities = (Span<float>)stackalloc float[ActivityLabels.Count];
        _model.Forest.Predict(_features, probabilities);
        _pending.Add(windowIndex, probabilities);
        _nonWear.Add(windowIndex, summary);
        Drain();
    }

    private void Drain()
    {
        while (_pending.Count > 0 && _nonWear.IsFinal(_pending.FirstIndex))
        {
            var index = _pending.FirstIndex;
            if (_nonWear.IsNonWear(index))
            {
                _viterbi.Flush(_decided);
                _lastRunIndex = long.MinValue;
                Emit(index, ActivityClass.NonWear);
            }
            else
            {
                if (index != _lastRunIndex + 1)
                {
                    _viterbi.Flush(_decided);
                }

                _viterbi.Step(index, _pending.FirstProbabilities, _decided);
                _lastRunIndex = index;
            }

            _pending.RemoveFirst();
        }
    }

    private void Emit(long windowIndex, ActivityClass activity)
    {
        var start = windowIndex * WindowGrid.WindowMicros;
        _output.Enqueue(new ActivityWindow(start, start + WindowGrid.WindowMicros, activity));
    }
}

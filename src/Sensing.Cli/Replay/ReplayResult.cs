using Sensing.Core;
using Sensing.Pipeline;
using Sensing.Recordings;
using Sensing.Signal.Steps;

namespace Sensing.Cli.Replay;

/// <summary>What replaying one recording through the pipeline produced.</summary>
internal sealed class ReplayResult
{
    public required string File { get; init; }

    public required long Samples { get; init; }

    public required double DurationSeconds { get; init; }

    public required double SampleRateHz { get; init; }

    /// <summary>Steps after the classifier's veto: the pipeline's figure.</summary>
    public required long Steps { get; init; }

    /// <summary>Steps the counter found before the veto.</summary>
    public required long CounterSteps { get; init; }

    /// <summary>Seconds classified as each class (every class, zeros included).</summary>
    public required IReadOnlyDictionary<ActivityClass, long> ActivitySeconds { get; init; }

    public required TimelineReport Timeline { get; init; }

    public required RecordingInfo Info { get; init; }

    /// <summary>Time of each counted step, microseconds on the recording's clock (when asked for).</summary>
    public IReadOnlyList<long>? StepTimes { get; init; }

    /// <summary>The recording's minutes (when asked for).</summary>
    public IReadOnlyList<MinuteEpoch>? Minutes { get; init; }

    /// <summary>Every second the step counter judged (when asked for).</summary>
    public IReadOnlyList<JudgedSecond>? Seconds { get; init; }
}

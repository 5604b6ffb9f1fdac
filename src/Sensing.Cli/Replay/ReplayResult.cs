using Sensing.Recordings;

namespace Sensing.Cli.Replay;

/// <summary>What replaying one recording through the pipeline produced.</summary>
internal sealed class ReplayResult
{
    public required string File { get; init; }

    public required long Samples { get; init; }

    public required double DurationSeconds { get; init; }

    public required double SampleRateHz { get; init; }

    public required long Steps { get; init; }

    public required TimelineReport Timeline { get; init; }

    public required RecordingInfo Info { get; init; }

    /// <summary>Time of each counted step, microseconds on the recording's clock (when asked for).</summary>
    public IReadOnlyList<long>? StepTimes { get; init; }
}

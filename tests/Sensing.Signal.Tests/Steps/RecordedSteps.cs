using Sensing.Core;
using Sensing.Recordings;
using Sensing.Signal.Steps;

namespace Sensing.Signal.Tests.Steps;

/// <summary>A recording file through a step counter sized from what the reader found, block by block.</summary>
internal static class RecordedSteps
{
    /// <param name="clockShiftMicros">Moves every sample's time on by this much: where the counter's whole seconds fall.</param>
    public static (long Steps, List<long> Times, double Seconds) Run(string path, RecordingOptions options, bool vectorised = true, long clockShiftMicros = 0)
    {
        using var reader = RecordingReader.Open(path, options);
        var block = new SampleBlock(options.BlockSize);
        StepCounter? counter = null;
        var times = new List<long>();
        while (reader.ReadBlock(block))
        {
            counter ??= new StepCounter(reader.Info.NominalRateHz, reader.Info.HasAxes, vectorised: vectorised) { StepTimes = times };
            block.MoveClock(clockShiftMicros);
            counter.Push(block);
        }

        counter?.Complete();
        return (counter?.Steps ?? 0, times, reader.Timeline.DurationSeconds);
    }

    /// <summary>The recording's steps per minute of its whole duration (a recording of one bout, as selfBACK's are).</summary>
    public static double PerMinute(string path)
    {
        var (steps, _, seconds) = Run(path, new RecordingOptions());
        return steps * 60 / Math.Max(1, seconds);
    }
}

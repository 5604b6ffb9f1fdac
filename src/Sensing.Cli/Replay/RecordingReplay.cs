using Sensing.Core;
using Sensing.Recordings;
using Sensing.Signal.Steps;

namespace Sensing.Cli.Replay;

/// <summary>Runs one recording through the signal pipeline, block by block, as the worker runs a wristband's stream.</summary>
internal static class RecordingReplay
{
    /// <exception cref="RecordingFormatException">The recording cannot be read.</exception>
    public static ReplayResult Run(string path, string displayPath, RecordingOptions options, StepCounterOptions? stepOptions = null,
        bool collectStepTimes = false, bool vectorised = true, Action<long>? progress = null)
    {
        using var reader = RecordingReader.Open(path, options);
        var block = new SampleBlock(options.BlockSize);
        StepCounter? counter = null;
        var stepTimes = collectStepTimes ? new List<long>() : null;
        while (reader.ReadBlock(block))
        {
            counter ??= new StepCounter(reader.Info.NominalRateHz > 0 ? reader.Info.NominalRateHz : 25, reader.Info.HasAxes, stepOptions, vectorised)
            {
                StepTimes = stepTimes,
            };
            counter.Push(block);
            progress?.Invoke(block.Count);
        }

        counter?.Complete();
        var timeline = reader.Timeline;
        return new ReplayResult
        {
            File = displayPath,
            Samples = timeline.Samples,
            DurationSeconds = timeline.DurationSeconds,
            SampleRateHz = timeline.MeasuredRateHz,
            Steps = counter?.Steps ?? 0,
            Timeline = timeline,
            Info = reader.Info,
            StepTimes = stepTimes,
        };
    }
}

using Sensing.Core;
using Sensing.Pipeline;
using Sensing.Recordings;
using Sensing.Signal.Steps;

namespace Sensing.Cli.Replay;

/// <summary>Runs one recording through the signal pipeline, block by block, as the worker runs a wristband's stream.</summary>
internal static class RecordingReplay
{
    /// <param name="clockShiftMicros">
    /// Moves every sample's time by this much before the pipeline sees it, as if the recording had started that much
    /// later on its clock: the counter judges whole seconds of that clock, so this moves where the seconds fall in the
    /// signal (<c>eval steps --phases</c>). Step times are reported on the recording's own clock.
    /// </param>
    /// <exception cref="RecordingFormatException">The recording cannot be read.</exception>
    public static ReplayResult Run(string path, string displayPath, RecordingOptions options, WristbandPipelineOptions? pipelineOptions = null,
        bool collectStepTimes = false, bool collectMinutes = false, bool collectSeconds = false, long clockShiftMicros = 0)
    {
        using var reader = RecordingReader.Open(path, options);
        var block = new SampleBlock(options.BlockSize);
        WristbandPipeline? pipeline = null;
        var stepTimes = collectStepTimes ? new List<long>() : null;
        var minutes = collectMinutes ? new List<MinuteEpoch>() : null;
        var seconds = collectSeconds ? new List<JudgedSecond>() : null;
        while (reader.ReadBlock(block))
        {
            pipeline ??= new WristbandPipeline(reader.Info.NominalRateHz > 0 ? reader.Info.NominalRateHz : 25, reader.Info.HasAxes, options: pipelineOptions)
            {
                StepTimes = stepTimes,
                Judged = seconds is null ? null : seconds.Add,
            };
            block.MoveClock(clockShiftMicros);
            pipeline.Push(block);
            Drain(pipeline, minutes);
        }

        pipeline?.Complete();
        if (pipeline is not null)
        {
            Drain(pipeline, minutes);
        }

        if (pipeline?.WalkingForearmAxis is int axis and not 1)
        {
            // Posture is read in the AX3's frame; a band with its forearm on another axis needs --axes to be read right.
            reader.Info.Notes.Add($"in walking the forearm lay along the {"xyz"[axis]} axis, not y: lying, sitting and standing are read in the AX3's frame, " +
                "so give the device's with --axes (a Bangle.js is --axes banglejs)");
        }

        if (stepTimes is not null && clockShiftMicros != 0)
        {
            for (var i = 0; i < stepTimes.Count; i++)
            {
                stepTimes[i] -= clockShiftMicros;
            }
        }

        var timeline = reader.Timeline;
        return new ReplayResult
        {
            File = displayPath,
            Samples = timeline.Samples,
            DurationSeconds = timeline.DurationSeconds,
            SampleRateHz = timeline.MeasuredRateHz,
            Steps = pipeline?.Steps ?? 0,
            CounterSteps = pipeline?.ProvisionalSteps ?? 0,
            ActivitySeconds = ActivityClassNames.All.ToDictionary(c => c, c => pipeline?.ActivitySeconds(c) ?? 0),
            Timeline = timeline,
            Info = reader.Info,
            StepTimes = stepTimes,
            Minutes = minutes,
            Seconds = seconds,
        };
    }

    // Finished minutes are taken as they come, so that a long recording never holds more than the open ones.
    private static void Drain(WristbandPipeline pipeline, List<MinuteEpoch>? into)
    {
        while (pipeline.TryDequeue(out var minute))
        {
            into?.Add(minute);
        }
    }
}

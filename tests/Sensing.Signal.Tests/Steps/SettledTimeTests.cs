using Sensing.Core;
using Sensing.Recordings;
using Sensing.Signal.Steps;
using Sensing.Testing;

namespace Sensing.Signal.Tests.Steps;

/// <summary>
/// <see cref="StepCounter.SettledMicros"/> is a promise the whole pipeline builds on: a minute is finished, and the
/// classifier's windows before it are let go, once the counter says no step before it will come. Held to it on real
/// recordings, fed in small blocks, after every block and every judged second: a walk that starts with weak seconds
/// before its strong start follows its steps back from the first of them, further than the seconds just judged.
/// </summary>
public sealed class SettledTimeTests
{
    public static TheoryData<string, string, double?> Recordings()
    {
        var data = new TheoryData<string, string, double?>();
        foreach (var (folder, file, countsPerG) in SharedData.WristRecordings(["upstairs", "downstairs", "walk_slow"], perActivity: int.MaxValue))
        {
            data.Add(folder, file, countsPerG);
        }

        return data;
    }

    [SharedDataTheory("wrist-steps-banglejs")]
    [MemberData(nameof(Recordings))]
    public void NoStepIsCountedBeforeTheTimeTheCounterCalledSettled(string folder, string file, double? countsPerG)
    {
        var path = Path.Combine(SharedData.Folder(folder)!, file);
        var options = new RecordingOptions { CountsPerG = countsPerG, BlockSize = 37 };
        using var reader = RecordingReader.Open(path, options);
        var block = new SampleBlock(options.BlockSize);
        var times = new List<long>();
        var promised = long.MinValue;
        var checkedSteps = 0;
        var broken = new List<string>();
        StepCounter? counter = null;

        // Steps counted since the last look must lie at or after every time called settled before them.
        void CheckNewSteps()
        {
            for (; checkedSteps < times.Count; checkedSteps++)
            {
                if (times[checkedSteps] < promised)
                {
                    broken.Add($"step at {times[checkedSteps] / 1e6:F2} s after {promised / 1e6:F2} s was called settled");
                }
            }
        }

        void Look()
        {
            CheckNewSteps();
            promised = Math.Max(promised, counter!.SettledMicros);
        }

        while (reader.ReadBlock(block))
        {
            if (counter is null)
            {
                counter = new StepCounter(reader.Info.NominalRateHz, reader.Info.HasAxes) { StepTimes = times };
                counter.Judged = _ => Look();
            }

            counter.Push(block);
            Look();
        }

        counter?.Complete();
        CheckNewSteps();
        Assert.Empty(broken);
    }
}

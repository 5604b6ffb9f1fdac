using Sensing.Core;
using Sensing.Recordings;
using Sensing.Simulator.Motion;
using Sensing.Testing;

namespace Sensing.Pipeline.Tests;

/// <summary>
/// The minutes a wristband's stream becomes, as the worker and <c>sensing replay</c> take them: the same minutes
/// however the stream is cut into blocks and whenever they are taken, each minute once and in time order, and the
/// minutes' steps adding up to the pipeline's.
/// </summary>
public sealed class WristbandPipelineTests
{
    public static TheoryData<string, string, double?> Recordings()
    {
        var data = new TheoryData<string, string, double?>();
        foreach (var (folder, file, countsPerG) in SharedData.WristRecordings(["walk_mod", "upstairs", "jogging", "sitting", "lying"], perActivity: 3))
        {
            data.Add(folder, file, countsPerG);
        }

        return data;
    }

    [SharedDataTheory("wrist-steps-banglejs")]
    [MemberData(nameof(Recordings))]
    public void RealRecordings_GiveTheSameMinutesHoweverTheyAreCut(string folder, string file, double? countsPerG)
    {
        var options = new RecordingOptions { CountsPerG = countsPerG };
        var whole = Minutes(Read(Path.Combine(SharedData.Folder(folder)!, file), options), cut: null);
        foreach (var seed in new[] { 1, 2 })
        {
            Assert.Equal(whole, Minutes(Read(Path.Combine(SharedData.Folder(folder)!, file), options), cut: new Random(seed)));
        }
    }

    [Fact]
    public void ASyntheticDay_GivesTheSameMinutesHoweverItIsCut()
    {
        // The simulator's motion model at 25 Hz: walks, sitting, a drive, lying, stairs, and the band out of range
        // for half a minute (a gap).
        var (rate, block) = (25.0, Synthetic(25.0));
        var whole = Minutes((rate, true, [block]), cut: null);
        Assert.Contains(whole, m => m.Steps > 0);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            Assert.Equal(whole, Minutes((rate, true, [block]), cut: new Random(seed)));
        }
    }

    // The stream through one pipeline, in its own blocks or cut into random blocks of 1-37 samples, the minutes taken
    // after every block; checked for order, repeats and the steps' total, and returned as comparable rows.
    private static List<Minute> Minutes((double Rate, bool HasAxes, List<SampleBlock> Blocks) stream, Random? cut)
    {
        var pipeline = new WristbandPipeline(stream.Rate, stream.HasAxes);
        var minutes = new List<Minute>();
        void Take()
        {
            while (pipeline.TryDequeue(out var m))
            {
                minutes.Add(new Minute(m.StartMicros, m.Steps, string.Join(",", Enum.GetValues<ActivityClass>().Select(c => m.SecondsOf(c)))));
            }
        }

        foreach (var block in stream.Blocks)
        {
            for (var at = 0; at < block.Count;)
            {
                var count = cut is null ? block.Count : Math.Min(block.Count - at, cut.Next(1, 38));
                pipeline.Push(block.Slice(at, count));
                Take();
                at += count;
            }
        }

        pipeline.Complete();
        Take();
        Assert.True(minutes.Zip(minutes.Skip(1)).All(p => p.First.StartMicros < p.Second.StartMicros), "each minute once, in time order");
        Assert.Equal(pipeline.Steps, minutes.Sum(m => (long)m.Steps));
        return minutes;
    }

    private static (double Rate, bool HasAxes, List<SampleBlock> Blocks) Read(string path, RecordingOptions options)
    {
        using var reader = RecordingReader.Open(path, options);
        var blocks = new List<SampleBlock>();
        var block = new SampleBlock(options.BlockSize);
        while (reader.ReadBlock(block))
        {
            blocks.Add(block.Slice(0, block.Count));
        }

        return (reader.Info.NominalRateHz, reader.Info.HasAxes, blocks);
    }

    private static SampleBlock Synthetic(double rateHz)
    {
        MotionSegment[] plan =
        [
            new(MotionKind.Walking, TimeSpan.FromMinutes(3), 108),
            new(MotionKind.Sitting, TimeSpan.FromMinutes(3)),
            new(MotionKind.Walking, TimeSpan.FromMinutes(2), 96),
            new(MotionKind.Driving, TimeSpan.FromMinutes(3)),
            new(MotionKind.Walking, TimeSpan.FromMinutes(3), 112),
            new(MotionKind.Lying, TimeSpan.FromMinutes(3)),
            new(MotionKind.Stairs, TimeSpan.FromMinutes(1), 90),
            new(MotionKind.Walking, TimeSpan.FromMinutes(2), 104),
        ];
        const long Start = 1_700_000_000_000_000;
        var generator = new MotionGenerator(plan, rateHz, seed: 7, startMicros: Start);
        var block = new SampleBlock(4096);
        var day = new SampleBlock((int)(20 * 60 * rateHz));
        while (generator.Read(block) > 0)
        {
            for (var i = 0; i < block.Count; i++)
            {
                // Seconds 400-430 never arrive: the band out of range.
                if (block.Time[i] - Start is < 400_000_000 or > 430_000_000)
                {
                    day.Add(block.Time[i], block.X[i], block.Y[i], block.Z[i]);
                }
            }
        }

        return day;
    }

    private readonly record struct Minute(long StartMicros, int Steps, string Seconds);
}

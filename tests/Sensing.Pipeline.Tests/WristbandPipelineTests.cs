using Sensing.Core;
using Sensing.Recordings;
using Sensing.Testing;

namespace Sensing.Pipeline.Tests;

/// <summary>
/// The minutes a wristband's stream becomes, as the worker and <c>sensing replay</c> take them: the same minutes
/// however the stream is cut into blocks and whenever they are taken, each minute once and in time order, and the
/// minutes' steps adding up to the pipeline's.
/// </summary>
public sealed class WristbandPipelineTests
{
    public static TheoryData<string, string> Recordings()
    {
        var data = new TheoryData<string, string>();
        foreach (var (folder, file) in SharedData.WristRecordings(["walk_mod", "upstairs", "jogging", "sitting", "lying"], perActivity: 3))
        {
            data.Add(folder, file);
        }

        return data;
    }

    [SharedDataTheory("wrist-steps-banglejs")]
    [MemberData(nameof(Recordings))]
    public void RealRecordings_GiveTheSameMinutesHoweverTheyAreCut(string folder, string file)
    {
        var options = new RecordingOptions { CountsPerG = folder == "wrist-steps-banglejs" ? 8192 : null };
        var whole = Minutes(Read(Path.Combine(SharedData.Folder(folder)!, file), options), cut: null);
        foreach (var seed in new[] { 1, 2 })
        {
            Assert.Equal(whole, Minutes(Read(Path.Combine(SharedData.Folder(folder)!, file), options), cut: new Random(seed)));
        }
    }

    [Fact]
    public void ASyntheticDay_GivesTheSameMinutesHoweverItIsCut()
    {
        // Walks of a few minutes between rests, at 25 Hz with timing jitter, and a gap of half a minute.
        var (rate, block) = (25.0, Synthetic(25.0, minutes: 20));
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

    private static SampleBlock Synthetic(double rateHz, int minutes)
    {
        var random = new Random(7);
        var n = (int)(minutes * 60 * rateHz);
        var block = new SampleBlock(n);
        var period = 1e6 / rateHz;
        for (var i = 0; i < n; i++)
        {
            var t = i / rateHz;
            if (t is > 400 and < 430)
            {
                continue; // the band out of range: a gap
            }

            var walking = (int)(t / 120) % 2 == 0;
            var swing = walking ? 0.5 * Math.Sin(Math.PI * 1.8 * t) : 0;
            var bounce = walking ? 0.2 * Math.Cos(2 * Math.PI * 1.8 * t) : 0;
            var noise = (float)(random.NextDouble() - 0.5) * 0.01f;
            var time = 1_700_000_000_000_000 + (long)((i * period) + ((random.NextDouble() - 0.5) * 0.2 * period));
            block.Add(time, (float)(Math.Sin(swing) * (1 + bounce)) + noise, 0.1f + noise, (float)(-Math.Cos(swing) * (1 + bounce)) + noise);
        }

        return block;
    }

    private readonly record struct Minute(long StartMicros, int Steps, string Seconds);
}

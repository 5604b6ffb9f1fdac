using Sensing.Core;
using Sensing.Recordings;
using Sensing.Simulator;
using Sensing.Simulator.Motion;

namespace Sensing.Ingestion.Simulation;

/// <summary>What simulated bands measure: a recording read once and played by every band, or days of the motion model.</summary>
public static class SampleSources
{
    /// <summary>
    /// Reads a recording into memory once; every source it returns plays it from the start (so a thousand bands
    /// share one copy and no file handle each).
    /// </summary>
    /// <exception cref="RecordingFormatException">The recording cannot be read.</exception>
    public static Func<ISampleSource> Recording(string path, RecordingOptions options, out TimeSpan duration, out double rateHz)
    {
        using var reader = RecordingReader.Open(path, options);
        var block = new SampleBlock(options.BlockSize);
        List<float> x = [], y = [], z = [];
        while (reader.ReadBlock(block))
        {
            for (var i = 0; i < block.Count; i++)
            {
                x.Add(block.X[i]);
                y.Add(block.Y[i]);
                z.Add(block.Z[i]);
            }
        }

        rateHz = reader.Info.NominalRateHz > 0 ? reader.Info.NominalRateHz : reader.Timeline.MeasuredRateHz;
        duration = TimeSpan.FromSeconds(x.Count / Math.Max(1, rateHz));
        float[] xs = [.. x], ys = [.. y], zs = [.. z];
        return () => new Playback(xs, ys, zs);
    }

    /// <summary>The motion model's typical day for band <paramref name="seed"/>, from <paramref name="timeOfDay"/> to midnight.</summary>
    public static ISampleSource Day(int seed, double rateHz, TimeSpan timeOfDay)
        => new MotionSampleSource(new MotionGenerator(DayFrom(MotionScripts.TypicalDay(seed), timeOfDay), rateHz, seed));

    /// <summary>A day script with its first <paramref name="skip"/> removed.</summary>
    public static IReadOnlyList<MotionSegment> DayFrom(IReadOnlyList<MotionSegment> day, TimeSpan skip)
    {
        var kept = new List<MotionSegment>();
        foreach (var segment in day)
        {
            if (skip >= segment.Duration)
            {
                skip -= segment.Duration;
                continue;
            }

            kept.Add(segment with { Duration = segment.Duration - skip });
            skip = TimeSpan.Zero;
        }

        return kept;
    }

    private sealed class Playback(float[] x, float[] y, float[] z) : ISampleSource
    {
        private int _next;

        public int Read(SampleBlock block)
        {
            block.Clear();
            var n = Math.Min(block.Capacity, x.Length - _next);
            x.AsSpan(_next, n).CopyTo(block.WritableX);
            y.AsSpan(_next, n).CopyTo(block.WritableY);
            z.AsSpan(_next, n).CopyTo(block.WritableZ);
            block.SetCount(n);
            _next += n;
            return n;
        }
    }
}

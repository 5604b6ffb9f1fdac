using Sensing.Activity.Features;
using Sensing.Activity.NonWear;
using Sensing.Activity.Resampling;

namespace Sensing.Activity.Tests.NonWear;

public class NonWearDetectorTests
{
    private const int WindowsPerBlock = NonWearDetector.WindowsPerBlock;
    private const int Samples = WindowGrid.WindowSamples;

    private enum BlockKind { Still, Fidget, Moving, Gap, LongGap }

    /// <summary>Grid samples of one window, per axis, and its index.</summary>
    private sealed record Window(long Index, float[][] Axes);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_verdict_taken_when_it_becomes_final_is_the_rule_applied_to_the_whole_recording(int seed)
    {
        var windows = Generate(seed, hours: 24);
        var expected = Reference(windows);
        var detector = new NonWearDetector();
        var pending = new List<long>();
        var verdicts = new Dictionary<long, bool>();

        // As the pipeline does: after each window, take every window that became final (here in any order, not only
        // the oldest, so that an early verdict out of order is checked too).
        foreach (var w in windows)
        {
            detector.Add(w.Index, Summarize(w.Axes));
            pending.Add(w.Index);
            TakeFinal(detector, pending, verdicts);
        }

        detector.Complete();
        TakeFinal(detector, pending, verdicts);

        Assert.Empty(pending);
        var wrong = windows.Where(w => verdicts[w.Index] != expected[w.Index]).Select(w => w.Index).ToList();
        Assert.True(wrong.Count == 0 && verdicts.ContainsValue(true), $"seed {seed}: {wrong.Count} of {windows.Count} windows differ from the rule, first {wrong.FirstOrDefault()}; {verdicts.Values.Count(v => v)} non-wear, expected {expected.Values.Count(v => v)}");
        Assert.Contains(false, verdicts.Values);
    }

    [Fact]
    public void A_moving_band_has_its_verdict_within_two_windows_not_an_hour_later()
    {
        var windows = Generate(seed: 11, hours: 3, kinds: [BlockKind.Moving]);
        var detector = new NonWearDetector();
        var pending = new List<long>();
        var verdicts = new Dictionary<long, bool>();
        var worstLag = 0;
        foreach (var w in windows)
        {
            detector.Add(w.Index, Summarize(w.Axes));
            pending.Add(w.Index);
            TakeFinal(detector, pending, verdicts);
            worstLag = Math.Max(worstLag, pending.Count);
        }

        Assert.InRange(worstLag, 0, 2);
        Assert.DoesNotContain(true, verdicts.Values);
    }

    private static void TakeFinal(NonWearDetector detector, List<long> pending, Dictionary<long, bool> verdicts)
    {
        pending.RemoveAll(index =>
        {
            if (!detector.IsFinal(index))
            {
                return false;
            }

            verdicts.Add(index, detector.IsNonWear(index));
            return true;
        });
    }

    /// <summary>
    /// Blocks of still bands (a little noise, an orientation per block), fidgeting ones (still with now and then a
    /// movement of random size, so that hours land on both sides of the thresholds), moving ones, missing windows,
    /// missing blocks and gaps longer than an hour.
    /// </summary>
    private static List<Window> Generate(int seed, int hours, BlockKind[]? kinds = null)
    {
        var rng = new Random(seed);
        kinds ??= [BlockKind.Still, BlockKind.Still, BlockKind.Still, BlockKind.Still, BlockKind.Fidget, BlockKind.Fidget, BlockKind.Fidget, BlockKind.Moving, BlockKind.Gap, BlockKind.LongGap];
        var windows = new List<Window>();
        var index = 170_000_000L + rng.Next(WindowsPerBlock); // today's window indexes, not aligned to a block
        var end = index + (hours * 4L * WindowsPerBlock);
        var gravity = new[] { 0.0, -1.0, 0.0 };
        while (index < end)
        {
            var kind = kinds[rng.Next(kinds.Length)];
            var blockEnd = (WindowGrid.FloorDiv(index, WindowsPerBlock) + 1) * WindowsPerBlock;
            if (kind is BlockKind.Gap or BlockKind.LongGap)
            {
                index = kind == BlockKind.Gap ? blockEnd : blockEnd + (rng.Next(4, 8) * WindowsPerBlock);
                continue;
            }

            if (rng.Next(6) == 0)
            {
                gravity = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            }

            for (; index < blockEnd && index < end; index++)
            {
                if (rng.Next(20) == 0)
                {
                    continue; // a window lost to a gap
                }

                var moving = kind == BlockKind.Moving || (kind == BlockKind.Fidget && rng.Next(40) == 0);
                var amplitude = kind == BlockKind.Moving ? 0.3 : rng.NextDouble() * rng.NextDouble() * 0.2;
                var axes = new float[3][];
                for (var a = 0; a < 3; a++)
                {
                    axes[a] = new float[Samples];
                    var phase = rng.NextDouble() * Math.Tau;
                    for (var i = 0; i < Samples; i++)
                    {
                        var motion = moving ? amplitude * Math.Sin(phase + (i * 0.9)) : 0;
                        axes[a][i] = (float)(gravity[a] + motion + (0.002 * Gauss(rng)));
                    }
                }

                windows.Add(new Window(index, axes));
            }
        }

        return windows;
    }

    private static double Gauss(Random rng)
        => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(Math.Tau * rng.NextDouble());

    private static WindowSummary Summarize(float[][] axes)
    {
        static AxisSummary Axis(float[] v)
        {
            var mean = v.Average(f => (double)f);
            return new AxisSummary(mean, v.Sum(f => (f - mean) * (f - mean)), v.Min(), v.Max());
        }

        return new WindowSummary(Samples, Axis(axes[0]), Axis(axes[1]), Axis(axes[2]));
    }

    /// <summary>
    /// GGIR's rule over the whole recording, straight from the samples: every hour of four clock-aligned blocks
    /// that lies within the recording and holds at least half its samples is judged; a block is non-wear when any
    /// judged hour covering it is.
    /// </summary>
    private static Dictionary<long, bool> Reference(List<Window> windows)
    {
        var byBlock = windows.GroupBy(w => WindowGrid.FloorDiv(w.Index, WindowsPerBlock)).ToDictionary(g => g.Key, g => g.ToList());
        var first = byBlock.Keys.Min();
        var last = byBlock.Keys.Max();
        var nonWear = new HashSet<long>();
        for (var hour = first - 3; hour <= last - 3; hour++)
        {
            var hourWindows = Enumerable.Range(0, 4).SelectMany(b => byBlock.GetValueOrDefault(hour + b) ?? []).ToList();
            if (hourWindows.Count * Samples < 4 * WindowsPerBlock * Samples / 2)
            {
                continue;
            }

            var sd = new double[3];
            var range = new double[3];
            for (var a = 0; a < 3; a++)
            {
                var values = hourWindows.SelectMany(w => w.Axes[a]).Select(f => (double)f).ToList();
                var mean = values.Average();
                sd[a] = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
                range[a] = values.Max() - values.Min();
            }

            if (NonWearRule.IsNonWear(sd, range))
            {
                for (var b = 0; b < 4; b++)
                {
                    nonWear.Add(hour + b);
                }
            }
        }

        return windows.ToDictionary(w => w.Index, w => nonWear.Contains(WindowGrid.FloorDiv(w.Index, WindowsPerBlock)));
    }
}

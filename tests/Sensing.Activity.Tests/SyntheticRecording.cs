using Sensing.Core;

namespace Sensing.Activity.Tests;

/// <summary>Synthetic wrist recordings: 100 Hz with timing jitter, walking-like swing or a still arm, in g.</summary>
internal static class SyntheticRecording
{
    /// <summary>One block holding <paramref name="seconds"/> of signal starting at <paramref name="startMicros"/>.</summary>
    public static SampleBlock Make(double seconds, int seed, long startMicros = 1_456_410_000_000_000, Func<double, bool>? still = null, double rateHz = 100)
    {
        var random = new Random(seed);
        var n = (int)(seconds * rateHz);
        var block = new SampleBlock(Math.Max(1, n));
        var period = 1e6 / rateHz;
        for (var i = 0; i < n; i++)
        {
            var t = i / rateHz;
            var jitter = (random.NextDouble() - 0.5) * 0.3 * period;
            var time = startMicros + (long)((i * period) + jitter);
            var noise = (float)(random.NextDouble() - 0.5) * 0.004f;
            if (still?.Invoke(t) ?? false)
            {
                block.Add(time, 0.02f + noise, -0.05f, 0.99f + noise);
            }
            else
            {
                var swing = (float)Math.Sin(2 * Math.PI * 1.9 * t);
                block.Add(time, 0.3f * swing + noise, -0.9f + (0.2f * swing), 0.25f + (0.35f * (float)Math.Sin(2 * Math.PI * 3.8 * t)) + noise);
            }
        }

        return block;
    }

    /// <summary>Feeds <paramref name="whole"/> to <paramref name="push"/> cut into random blocks (1 to <paramref name="maxBlock"/> samples).</summary>
    public static void PushInRandomBlocks(SampleBlock whole, int seed, int maxBlock, Action<SampleBlock> push)
    {
        var random = new Random(seed);
        var at = 0;
        while (at < whole.Count)
        {
            var count = Math.Min(whole.Count - at, random.Next(1, maxBlock + 1));
            push(whole.Slice(at, count));
            at += count;
        }
    }
}

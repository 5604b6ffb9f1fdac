using Sensing.Core;

namespace Sensing.Signal.Tests.Steps;

/// <summary>
/// A simple wrist model for tests that need known ground truth: an arm swinging once per stride (gravity rotating
/// in the wrist frame) and a damped heel-strike impact at every step, stronger on the watch side, plus sensor noise.
/// Still stretches hold one orientation with noise only.
/// </summary>
internal static class SyntheticWrist
{
    public static SampleBlock Walk(double rateHz, double seconds, double cadence, int seed = 1, long startMicros = 0)
    {
        var random = new Random(seed);
        var n = (int)(seconds * rateHz);
        var block = new SampleBlock(Math.Max(1, n));
        var stepPeriod = 1 / cadence;
        for (var i = 0; i < n; i++)
        {
            var t = i / rateHz;
            var swing = 0.5 * Math.Sin(Math.PI * cadence * t);
            var sinceStep = t % stepPeriod;
            var side = (int)(t / stepPeriod) % 2 == 0 ? 1.0 : 0.6;
            // The body's vertical bounce once per step, and the heel strike's damped shock on top of it.
            var bounce = 0.15 * Math.Cos(2 * Math.PI * cadence * t);
            var impact = bounce + (side * 0.5 * Math.Exp(-sinceStep / 0.08) * Math.Cos(2 * Math.PI * 4 * sinceStep));
            var x = Math.Sin(swing) * (1 + impact);
            var z = -Math.Cos(swing) * (1 + impact);
            block.Add(startMicros + (long)(t * 1e6), (float)(x + Noise(random)), (float)(0.1 + Noise(random)), (float)(z + Noise(random)));
        }

        return block;
    }

    public static SampleBlock Still(double rateHz, double seconds, int seed = 2, long startMicros = 0)
    {
        var random = new Random(seed);
        var n = (int)(seconds * rateHz);
        var block = new SampleBlock(Math.Max(1, n));
        for (var i = 0; i < n; i++)
        {
            block.Add(startMicros + (long)(i / rateHz * 1e6), (float)(0.2 + Noise(random)), (float)(0.1 + Noise(random)), (float)(-0.97 + Noise(random)));
        }

        return block;
    }

    /// <summary>A still wrist, a walk, the wrist still again: the stretches one after another in time.</summary>
    public static SampleBlock WalkBetweenStills(double rateHz, double stillSeconds, double walkSeconds, double cadence)
        => Concat(
            Still(rateHz, stillSeconds),
            Walk(rateHz, walkSeconds, cadence, startMicros: (long)(stillSeconds * 1e6)),
            Still(rateHz, stillSeconds, startMicros: (long)((stillSeconds + walkSeconds) * 1e6)));

    public static SampleBlock Concat(params SampleBlock[] blocks)
    {
        var total = blocks.Sum(b => b.Count);
        var result = new SampleBlock(total);
        foreach (var b in blocks)
        {
            for (var i = 0; i < b.Count; i++)
            {
                result.Add(b.Time[i], b.X[i], b.Y[i], b.Z[i]);
            }
        }

        return result;
    }

    private static double Noise(Random random) => (random.NextDouble() - 0.5) * 0.02;
}

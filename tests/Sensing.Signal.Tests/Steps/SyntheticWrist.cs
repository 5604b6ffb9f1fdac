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
        var stepPeriod = 1 / cadence;
        return Swinging(rateHz, seconds, cadence, swing: 0.5, seed, startMicros, t =>
        {
            var sinceStep = t % stepPeriod;
            var side = (int)(t / stepPeriod) % 2 == 0 ? 1.0 : 0.6;
            // The body's vertical bounce once per step, and the heel strike's damped shock on top of it.
            var bounce = 0.15 * Math.Cos(2 * Math.PI * cadence * t);
            return bounce + (side * 0.5 * Math.Exp(-sinceStep / 0.08) * Math.Cos(2 * Math.PI * 4 * sinceStep));
        });
    }

    /// <summary>
    /// A slow walk whose every step shows two peaks of the magnitude: the heel strike and a bump as strong half a
    /// step later. The magnitude repeats at twice the cadence, at a running cadence for a walk of 75 steps a minute and up.
    /// </summary>
    public static SampleBlock WalkWithTwoPeaksPerStep(double rateHz, double seconds, double cadence)
    {
        var stepPeriod = 1 / cadence;
        return Swinging(rateHz, seconds, cadence, swing: 0.3, seed: 3, startMicros: 0,
            t => 0.8 * (Shock(t % stepPeriod) + Shock((t + (stepPeriod / 2)) % stepPeriod)));
    }

    /// <summary>
    /// A walk whose first seconds show on the wrist as a stride: one foot's heel strike and the body's sway once a
    /// stride, the other foot's strike too soft to stand out. From <paramref name="showsAfter"/> seconds on, both feet
    /// strike alike.
    /// </summary>
    public static SampleBlock WalkShowingItsStepsLate(double rateHz, double seconds, double cadence, double showsAfter)
    {
        var stepPeriod = 1 / cadence;
        return Swinging(rateHz, seconds, cadence, swing: 0.5, seed: 5, startMicros: 0, t =>
        {
            var first = (int)(t / stepPeriod) % 2 == 0;
            var late = t >= showsAfter;
            var sway = late ? 0 : 0.15 * Math.Cos(Math.PI * cadence * t);
            return sway + ((first || late ? 0.8 : 0.1) * Shock(t % stepPeriod));
        });
    }

    /// <summary>A run: a landing per step that jolts the wrist by several g, and a wide arm swing.</summary>
    public static SampleBlock Run(double rateHz, double seconds, double cadence)
        => Swinging(rateHz, seconds, cadence, swing: 0.8, seed: 3, startMicros: 0, t => 4 * Shock(t % (1 / cadence)));

    // The arm swings once per stride, so gravity turns in the x-z plane; the impact scales the whole vector.
    private static SampleBlock Swinging(double rateHz, double seconds, double cadence, double swing, int seed, long startMicros, Func<double, double> impactAt)
    {
        var random = new Random(seed);
        var n = (int)(seconds * rateHz);
        var block = new SampleBlock(Math.Max(1, n));
        for (var i = 0; i < n; i++)
        {
            var t = i / rateHz;
            var angle = swing * Math.Sin(Math.PI * cadence * t);
            var impact = impactAt(t);
            var x = Math.Sin(angle) * (1 + impact);
            var z = -Math.Cos(angle) * (1 + impact);
            block.Add(startMicros + (long)(t * 1e6), (float)(x + Noise(random)), (float)(0.1 + Noise(random)), (float)(z + Noise(random)));
        }

        return block;
    }

    // A landing's damped shock, some time after it.
    private static double Shock(double since) => Math.Exp(-since / 0.06) * Math.Cos(2 * Math.PI * 3 * since);

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

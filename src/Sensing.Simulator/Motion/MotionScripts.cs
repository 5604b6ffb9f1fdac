namespace Sensing.Simulator.Motion;

/// <summary>Ready-made motion scripts.</summary>
public static class MotionScripts
{
    /// <summary>
    /// A plausible 24-hour day: a night's sleep, a morning routine, commutes on foot and by car, desk work with
    /// short walks, stairs, a run, an evening on the sofa and the band off the wrist while showering. Durations
    /// and cadences vary with <paramref name="seed"/> (±20 % and ±8 %); the total stays 24 h.
    /// </summary>
    public static IReadOnlyList<MotionSegment> TypicalDay(int seed = 0)
    {
        var rng = new Random(seed);
        (MotionKind Kind, double Minutes, double Cadence)[] plan =
        [
            (MotionKind.Lying, 420, 0),
            (MotionKind.Standing, 15, 0),
            (MotionKind.NonWear, 15, 0),
            (MotionKind.Sitting, 20, 0),
            (MotionKind.Walking, 8, 108),
            (MotionKind.Driving, 25, 0),
            (MotionKind.Walking, 4, 100),
            (MotionKind.Stairs, 1, 92),
            (MotionKind.Sitting, 110, 0),
            (MotionKind.Walking, 3, 98),
            (MotionKind.Sitting, 80, 0),
            (MotionKind.Walking, 18, 112),
            (MotionKind.Sitting, 30, 0),
            (MotionKind.Standing, 10, 0),
            (MotionKind.Sitting, 150, 0),
            (MotionKind.Walking, 4, 104),
            (MotionKind.Driving, 30, 0),
            (MotionKind.Standing, 25, 0),
            (MotionKind.Running, 22, 164),
            (MotionKind.Walking, 6, 100),
            (MotionKind.NonWear, 20, 0),
            (MotionKind.Sitting, 140, 0),
            (MotionKind.Walking, 2, 95),
            (MotionKind.Standing, 10, 0),
        ];
        var segments = new List<MotionSegment>(plan.Length + 1);
        double total = 0;
        foreach (var (kind, minutes, cadence) in plan)
        {
            double m = minutes * (0.8 + (0.4 * rng.NextDouble()));
            double c = cadence == 0 ? 0 : cadence * (0.92 + (0.16 * rng.NextDouble()));
            segments.Add(new MotionSegment(kind, TimeSpan.FromMinutes(m), c));
            total += m;
        }

        // Whatever is left of the 24 h is the evening in bed before midnight (never negative: plan totals ~19.5 h).
        segments.Add(new MotionSegment(MotionKind.Lying, TimeSpan.FromMinutes(Math.Max(1, (24 * 60) - total))));
        return segments;
    }
}

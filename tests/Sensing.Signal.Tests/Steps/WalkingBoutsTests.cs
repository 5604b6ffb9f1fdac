using Sensing.Signal.Steps;

namespace Sensing.Signal.Tests.Steps;

/// <summary>The walking gate fed verdicts and peaks directly, as the detector hands them over.</summary>
public sealed class WalkingBoutsTests
{
    private const long Second = 1_000_000;
    private const double Period = 0.6; // seconds per step

    [Fact]
    public void StrongRhythm_ConfirmsAWalk()
        => Assert.InRange(Run(Seconds(20, rmsG: 0.15, strength: 0.6)), 30, 34); // 20 s at 0.6 s a step

    [Fact]
    public void StrongRhythmAtAStillWristsIntensity_IsNoWalk()
    {
        // A standing person's sway: a strong, steady rhythm at 0.02 g. A slow walk's 0.05 g is still a walk.
        Assert.Equal(0, Run(Seconds(60, rmsG: 0.02, strength: 0.6)));
        Assert.InRange(Run(Seconds(20, rmsG: 0.05, strength: 0.6)), 30, 34);
    }

    [Fact]
    public void SustainedWeakRhythmAtWalkingIntensity_ConfirmsAWalk()
    {
        // A stair climb: one strong second to start, then seconds that only just hold the cadence.
        Assert.InRange(Run([.. Seconds(1, 0.15, 0.6), .. Seconds(19, 0.15, 0.35)]), 30, 34);
    }

    [Fact]
    public void WeakRhythmTooShortToBeSustained_CountsNothing()
        => Assert.Equal(0, Run([.. Seconds(1, 0.15, 0.6), .. Seconds(7, 0.15, 0.35)]));

    [Fact]
    public void SustainedWeakRhythmBelowWalkingIntensity_CountsNothing()
    {
        // The same rhythm at the size of a car's or a keyboard's (0.04 g): never a walk, however long it lasts.
        Assert.Equal(0, Run([.. Seconds(1, 0.04, 0.6), .. Seconds(59, 0.04, 0.35)]));
    }

    [Fact]
    public void WeakRhythmAlone_NeverStartsAWalk()
        => Assert.Equal(0, Run(Seconds(60, rmsG: 0.15, strength: 0.35)));

    [Fact]
    public void WeakSecondsJustBeforeAStrongStart_AreTheWalksFirst()
    {
        // Six seconds gathering rhythm (soft steps, too low for the edge to follow by peaks alone), then a strong walk.
        var leadIn = Seconds(6, rmsG: 0.15, strength: 0.35, peakHeight: 0.05f);
        var walk = Seconds(14, rmsG: 0.15, strength: 0.6, from: 6);
        Assert.InRange(Run([.. leadIn, .. walk]), 31, 35); // 20 s at 0.6 s a step
        Assert.InRange(Run(walk), 22, 25);                 // 14 s
    }

    [Fact]
    public void WeakSecondsBelowWalkingIntensity_DoNotLeadIntoAWalk()
    {
        var leadIn = Seconds(6, rmsG: 0.04, strength: 0.35, peakHeight: 0.05f);
        var walk = Seconds(14, rmsG: 0.15, strength: 0.6, from: 6);
        Assert.Equal(Run(walk), Run([.. leadIn, .. walk]));
    }

    [Fact]
    public void NoStepComesBeforeTheTimeCalledSettled()
    {
        // Steps the rhythm did not hear (tall peaks, no period), a weak lead-in, then a strong walk: the walk's steps
        // are followed back through its lead-in and on through the peaks before it, further back than twelve seconds
        // before the last second judged while idle.
        var unheard = Seconds(12, rmsG: 0.15, strength: 0);
        var leadIn = Seconds(6, rmsG: 0.15, strength: 0.35, from: 12);
        var walk = Seconds(14, rmsG: 0.15, strength: 0.6, from: 18);
        var bouts = new WalkingBouts(new StepCounterOptions()) { StepTimes = [] };
        var (promised, seen) = (long.MinValue, 0);
        var broken = new List<long>();
        Run([.. unheard, .. leadIn, .. walk], bouts, afterEachSecond: () =>
        {
            broken.AddRange(bouts.StepTimes.Skip(seen).Where(t => t < promised));
            (promised, seen) = (Math.Max(promised, bouts.SettledMicros), bouts.StepTimes.Count);
        });

        Assert.True(bouts.StepTimes.Min() < leadIn[0].Verdict.StartMicros, "the walk's steps were followed back before its lead-in");
        Assert.Empty(broken);
    }

    [Fact]
    public void SecondsTooStillByThemselves_GetNoStepWithoutAPeak()
    {
        // A walk stops dead at 20 s; the windows of the next seconds still hear its rhythm. Those seconds' own RMS is
        // sensor noise and they have no peaks: no step is placed on the cadence there.
        var walk = Seconds(20, rmsG: 0.15, strength: 0.6);
        var after = Seconds(3, rmsG: 0.1, strength: 0.5, from: 20, secondRmsG: 0.004).Select(s => (s.Verdict, PeakHeight: float.NaN));
        var moving = Seconds(3, rmsG: 0.1, strength: 0.5, from: 20, secondRmsG: 0.05).Select(s => (s.Verdict, PeakHeight: float.NaN));
        var walked = Run(walk);
        Assert.Equal(walked, Run([.. walk, .. after]));

        // The same seconds with the wrist still moving (soft steps that make no peak): the cadence places them.
        Assert.InRange(Run([.. walk, .. moving]) - walked, 4, 5);
    }

    [Fact]
    public void AStillSecondInsideAWalk_PausesTheCountButNotTheCadence()
    {
        // A two-second stand inside a walk (no peaks, no movement of its own, the windows still rhythmic).
        var first = Seconds(20, rmsG: 0.15, strength: 0.6);
        var stand = Seconds(2, rmsG: 0.1, strength: 0.5, from: 20, secondRmsG: 0.004).Select(s => (s.Verdict, PeakHeight: float.NaN));
        var second = Seconds(20, rmsG: 0.15, strength: 0.6, from: 22);
        var withStand = Run([.. first, .. stand, .. second]);
        var straight = Run(Seconds(42, rmsG: 0.15, strength: 0.6));
        Assert.InRange(straight - withStand, 3, 4); // two seconds at 0.6 s a step
    }

    // Judged seconds from `from` on at one step period, each with a peak on every step of its own (none when the
    // height is NaN); the second's own RMS is the window's unless given.
    private static List<(RhythmVerdict Verdict, float PeakHeight)> Seconds(int count, double rmsG, double strength, float peakHeight = 0.3f, int from = 0, double? secondRmsG = null)
        => Enumerable.Range(from, count)
            .Select(s => (new RhythmVerdict(s * Second, (float)rmsG, OwnEnergy(secondRmsG ?? rmsG), (float)strength, Period, Steadiness: 0.9f), peakHeight))
            .ToList();

    // A second of 12 grid points at the given RMS.
    private static Energy OwnEnergy(double rmsG) => new((float)(rmsG * rmsG * 12), 12);

    private static long Run(List<(RhythmVerdict Verdict, float PeakHeight)> seconds)
        => Run(seconds, new WalkingBouts(new StepCounterOptions()));

    private static long Run(List<(RhythmVerdict Verdict, float PeakHeight)> seconds, WalkingBouts bouts, Action? afterEachSecond = null)
    {
        var stepMicros = (long)(Period * Second);
        var peak = (seconds[0].Verdict.StartMicros / stepMicros * stepMicros) + (stepMicros / 2);
        foreach (var (verdict, height) in seconds)
        {
            for (; peak < verdict.StartMicros + Second; peak += stepMicros)
            {
                if (!float.IsNaN(height))
                {
                    bouts.Peak(peak, height);
                }
            }

            bouts.Second(verdict);
            afterEachSecond?.Invoke();
        }

        bouts.EndStretch();
        return bouts.Steps;
    }
}

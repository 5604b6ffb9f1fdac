using Sensing.Signal.Steps;

namespace Sensing.Signal.Tests.Steps;

/// <summary>The walking gate fed verdicts and peaks directly, as the detector hands them over.</summary>
public sealed class WalkingBoutsTests
{
    private const long Second = 1_000_000;
    private const double Period = 0.6; // seconds per step

    [Fact]
    public void StrongRhythm_ConfirmsAWalk()
    {
        var steps = Run(seconds: 20, rmsG: 0.15, weakStrength: 0.6);
        Assert.InRange(steps, 30, 34); // 20 s at 0.6 s a step
    }

    [Fact]
    public void SustainedWeakRhythmAtWalkingIntensity_ConfirmsAWalk()
    {
        // A stair climb: one strong second to start, then seconds that only just hold the cadence.
        var steps = Run(seconds: 20, rmsG: 0.15, weakStrength: 0.35);
        Assert.InRange(steps, 30, 34);
    }

    [Fact]
    public void WeakRhythmTooShortToBeSustained_CountsNothing()
        => Assert.Equal(0, Run(seconds: 8, rmsG: 0.15, weakStrength: 0.35));

    [Fact]
    public void SustainedWeakRhythmBelowWalkingIntensity_CountsNothing()
    {
        // The same rhythm at the size of a car's or a keyboard's (0.04 g): never a walk, however long it lasts.
        Assert.Equal(0, Run(seconds: 60, rmsG: 0.04, weakStrength: 0.35));
    }

    // A run of judged seconds at one step period: the first strong, the rest at weakStrength; a peak on every step.
    private static long Run(int seconds, double rmsG, double weakStrength)
    {
        var options = new StepCounterOptions();
        var bouts = new WalkingBouts(options);
        var stepMicros = (long)(Period * Second);
        var peak = stepMicros / 2;
        for (var s = 0; s < seconds; s++)
        {
            var start = s * Second;
            for (; peak < start + Second; peak += stepMicros)
            {
                bouts.Peak(peak, 0.3f);
            }

            var strength = s == 0 ? 0.6f : (float)weakStrength;
            bouts.Second(new RhythmVerdict(start, (float)rmsG, strength, Period, Steadiness: 0.9f));
        }

        bouts.EndStretch();
        return bouts.Steps;
    }
}

using Sensing.Core;
using Sensing.Signal.Steps;

namespace Sensing.Signal.Tests.Steps;

public sealed class StepCounterTests
{
    [Theory]
    [InlineData(12.5, 1.6)]
    [InlineData(25, 1.9)]
    [InlineData(100, 1.4)]
    [InlineData(200, 2.2)]
    public void SteadyWalk_IsCountedWithinTwoPercent_AtAnyInputRate(double rate, double cadence)
    {
        var walk = SyntheticWrist.Walk(rate, 120, cadence);
        var steps = Count(walk, rate);
        var truth = 120 * cadence;
        Assert.InRange(steps, truth * 0.98, truth * 1.02);
    }

    [Fact]
    public void AWalkWhoseStepsEachShowTwoPeaks_IsCountedAtItsCadence_NotTwiceIt()
    {
        // 84 steps a minute at a slow walk's intensity; the magnitude repeats at 168 a minute, a run's cadence.
        var walk = SyntheticWrist.WalkWithTwoPeaksPerStep(100, 120, 1.4);
        Assert.InRange(Count(walk, 100), 168 * 0.98, 168 * 1.02);
    }

    [Fact]
    public void AWalkConfirmedAtItsStride_CountsItsFirstSecondsAtItsSteps()
    {
        // For its first 14 s the magnitude repeats once a stride, and the walk is confirmed at that period; then the
        // other foot's heel strikes show and the walk's period halves. Its first seconds wait until its cadence has
        // settled, and are counted at its steps: counted at once, they would be a stride each.
        var walk = SyntheticWrist.WalkShowingItsStepsLate(25, 60, 1.8, showsAfter: 14);
        var settled = Count(walk, 25);
        var hasty = new StepCounter(25, options: new StepCounterOptions { SettleSeconds = 0 });
        hasty.Push(walk);
        hasty.Complete();

        Assert.InRange(settled, 108 * 0.9, 108 * 1.02);
        Assert.True(settled >= hasty.Steps + 5, $"settled {settled}, counted at once {hasty.Steps}");
    }

    [Fact]
    public void ARun_IsCountedAtItsCadence()
        => Assert.InRange(Count(SyntheticWrist.Run(100, 120, 2.8), 100), 336 * 0.98, 336 * 1.02);

    [Fact]
    public void StillWrist_CountsNothing()
        => Assert.Equal(0, Count(SyntheticWrist.Still(25, 600), 25));

    [Fact]
    public void WalkTooShortToBeSustained_CountsNothing()
    {
        var recording = SyntheticWrist.WalkBetweenStills(25, 30, 2, 1.8);
        Assert.Equal(0, Count(recording, 25)); // about 4 steps: a shuffle, not a walk
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    public void AWalkThatStopsDead_HasNoStepsAfterItsLast(double rate)
    {
        // The windows of the seconds after the stop still hear the walk; the cadence must not run on without it.
        var recording = SyntheticWrist.WalkBetweenStills(rate, 30, 60, 1.8);
        var (steps, times, _) = CountWithTimes(recording, rate, [recording.Count]);
        var stop = 90_000_000L;
        Assert.InRange(steps, 60 * 1.8 * 0.98, 60 * 1.8 * 1.02);
        Assert.True(times.Count(t => t > stop + 300_000) <= 1, $"steps after the stop at: {string.Join(", ", times.Where(t => t > stop).Select(t => t / 1e6))}");
    }

    [Fact]
    public void NoStepsAreInventedAcrossAGap()
    {
        // Two 4-second walks separated by a 20-second hole: each alone is too short to be walking, and the gap
        // must not join them into one bout.
        var recording = SyntheticWrist.Concat(
            SyntheticWrist.Walk(25, 4, 1.8),
            SyntheticWrist.Walk(25, 4, 1.8, startMicros: 24_000_000));
        Assert.Equal(0, Count(recording, 25));
    }

    [Fact]
    public void WalkInterruptedByAGap_CountsOnlyTheWalkedTime()
    {
        var whole = Count(SyntheticWrist.Walk(25, 60, 1.8), 25);
        var split = Count(SyntheticWrist.Concat(
            SyntheticWrist.Walk(25, 30, 1.8),
            SyntheticWrist.Walk(25, 30, 1.8, startMicros: 90_000_000)), 25);
        Assert.InRange(split, whole * 0.9, whole * 1.02);
    }

    [Fact]
    public void ChunkInvariance_RandomBlockSizes_GiveIdenticalStepsAndTimes()
    {
        var recording = SyntheticWrist.WalkBetweenStills(50, 20, 90, 1.7);
        var (expected, expectedTimes, expectedSeconds) = CountWithTimes(recording, 50, [recording.Count]);
        Assert.True(expected > 100);
        var random = new Random(99);
        for (var trial = 0; trial < 20; trial++)
        {
            var maxBlock = trial < 5 ? trial + 1 : random.Next(2, 5000);
            var sizes = new List<int>();
            for (var left = recording.Count; left > 0;)
            {
                var size = Math.Min(left, random.Next(1, maxBlock + 1));
                sizes.Add(size);
                left -= size;
            }

            var (steps, times, seconds) = CountWithTimes(recording, 50, sizes);
            Assert.Equal(expected, steps);
            Assert.Equal(expectedTimes, times);
            Assert.Equal(expectedSeconds, seconds);
        }
    }

    [Fact]
    public void JudgedSeconds_FollowTheRecordingSecondBySecond_AndShowTheGateOpenOnlyForTheWalk()
    {
        var recording = SyntheticWrist.WalkBetweenStills(25, 30, 60, 1.8);
        var (steps, _, seconds) = CountWithTimes(recording, 25, [recording.Count]);

        // One per second from the first full window on, in order, each saying the steps counted by then.
        Assert.InRange(seconds.Count, 110, 120);
        Assert.All(seconds.Zip(seconds.Skip(1)), pair => Assert.Equal(1_000_000, pair.Second.StartMicros - pair.First.StartMicros));
        Assert.All(seconds.Zip(seconds.Skip(1)), pair => Assert.True(pair.Second.Steps >= pair.First.Steps));
        Assert.True(seconds[^1].Steps <= steps);

        // Still seconds are too still to judge; the walk's middle is a confirmed walk at its cadence.
        Assert.All(seconds.Where(s => s.StartMicros < 25_000_000 || s.StartMicros >= 96_000_000), s => Assert.Equal((WalkingState.Idle, 0f), (s.State, s.Strength)));
        var middle = seconds.Where(s => s.StartMicros >= 45_000_000 && s.StartMicros < 80_000_000).ToList();
        Assert.All(middle, s => Assert.Equal(WalkingState.Walking, s.State));
        Assert.All(middle, s => Assert.InRange(s.StepPeriodSeconds, 0.9 / 1.8, 1.1 / 1.8));
    }

    [Theory]
    [InlineData(0.8)] // the defaults: 32 lags, the rhythm's fused per-sample loop holds all their sums in registers
    [InlineData(0.6)] // 42 lags: that loop, then the lags after the ones it holds
    [InlineData(1.3)] // 19 lags: fewer than it holds, so the separate passes
    public void VectorisedAndScalarPaths_JudgeEverySecondAlike_AndCountTheSameSteps(double minCadence)
    {
        var recording = SyntheticWrist.Concat(SyntheticWrist.WalkBetweenStills(100, 15, 60, 1.9), SyntheticWrist.Walk(100, 40, 1.4, seed: 3, startMicros: 140_000_000));
        var options = new StepCounterOptions { MinCadence = minCadence };
        var random = new Random(5);
        var sizes = new List<int>();
        for (var left = recording.Count; left > 0; left -= sizes[^1])
        {
            sizes.Add(Math.Min(left, random.Next(1, 700)));
        }

        var vector = CountWithTimes(recording, 100, sizes, options, vectorised: true);
        var scalar = CountWithTimes(recording, 100, [recording.Count], options, vectorised: false);
        Assert.True(scalar.Steps > 150);
        Assert.Equal(scalar.Seconds, vector.Seconds);
        Assert.Equal(scalar.Times, vector.Times);
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    public void RawCountsInFrames_GiveTheStepsOfTheSameSamplesInG(double rate)
    {
        // A walk as a band's frames carry it: int16 counts at 4096 per g, a fixed period, cut into frames of 1..40.
        var walk = SyntheticWrist.Concat(SyntheticWrist.Still(rate, 20), SyntheticWrist.Walk(rate, 90, 1.8, startMicros: 20_000_000));
        var period = (long)Math.Round(1e6 / rate);
        short Count(float g) => (short)Math.Clamp(MathF.Round(g * 4096), short.MinValue, short.MaxValue);
        var (x, y, z) = (walk.X.ToArray().Select(Count).ToArray(), walk.Y.ToArray().Select(Count).ToArray(), walk.Z.ToArray().Select(Count).ToArray());
        var inG = new SampleBlock(x.Length);
        for (var i = 0; i < x.Length; i++)
        {
            inG.Add(1_000_000 + (i * period), x[i] / 4096f, y[i] / 4096f, z[i] / 4096f);
        }

        var expected = new StepCounter(rate) { StepTimes = [] };
        expected.Push(inG);
        expected.Complete();
        Assert.True(expected.Steps > 100);

        var random = new Random(17);
        var frames = new StepCounter(rate) { StepTimes = [] };
        for (var i = 0; i < x.Length;)
        {
            var n = Math.Min(x.Length - i, random.Next(1, 41));
            frames.Push(new RawSamples(1_000_000 + (i * period), period, 4096, x.AsSpan(i, n), y.AsSpan(i, n), z.AsSpan(i, n)));
            i += n;
        }

        frames.Complete();
        Assert.Equal(expected.Steps, frames.Steps);
        Assert.Equal(expected.StepTimes, frames.StepTimes);
    }

    [Fact]
    public void MixedKindsOfInput_AreRefused()
    {
        var counter = new StepCounter(25, hasAxes: true);
        var magnitudeOnly = new SampleBlock(4, hasAxes: false);
        magnitudeOnly.Add(0, 1, 0, 0);
        Assert.Throws<ArgumentException>(() => counter.Push(magnitudeOnly));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepCounter(0));
    }

    internal static long Count(SampleBlock recording, double rate)
    {
        var counter = new StepCounter(rate);
        counter.Push(recording);
        counter.Complete();
        return counter.Steps;
    }

    private static (long Steps, List<long> Times, List<JudgedSecond> Seconds) CountWithTimes(SampleBlock recording, double rate, IEnumerable<int> sizes, StepCounterOptions? options = null, bool vectorised = true)
    {
        var seconds = new List<JudgedSecond>();
        var counter = new StepCounter(rate, options: options, vectorised: vectorised) { StepTimes = [], Judged = seconds.Add };
        var offset = 0;
        foreach (var size in sizes)
        {
            counter.Push(recording.Slice(offset, size));
            offset += size;
        }

        counter.Complete();
        return (counter.Steps, counter.StepTimes!, seconds);
    }
}

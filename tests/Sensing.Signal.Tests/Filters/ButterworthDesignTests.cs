using Sensing.Signal.Filters;

namespace Sensing.Signal.Tests.Filters;

public sealed class ButterworthDesignTests
{
    [Theory]
    [InlineData(12.5, 2.0)]
    [InlineData(25, 4.0)]
    [InlineData(100, 4.0)]
    [InlineData(200, 0.5)]
    public void LowPass_IsThreeDecibelsDownAtCutoff_AndFlatAtDc(double rate, double cutoff)
    {
        foreach (var order in new[] { 2, 4, 6 })
        {
            var sections = ButterworthDesign.LowPass(order, cutoff, rate);
            Assert.Equal(1 / Math.Sqrt(2), Gain(sections, cutoff, rate), 6);
            Assert.Equal(1, Gain(sections, 1e-6, rate), 6);
            Assert.True(Gain(sections, Math.Min(rate / 2 * 0.99, cutoff * 3), rate) < 0.2);
        }
    }

    [Theory]
    [InlineData(25, 0.3)]
    [InlineData(100, 0.7)]
    public void HighPass_BlocksDc_AndIsThreeDecibelsDownAtCutoff(double rate, double cutoff)
    {
        var sections = ButterworthDesign.HighPass(2, cutoff, rate);
        Assert.Equal(1 / Math.Sqrt(2), Gain(sections, cutoff, rate), 6);
        Assert.Equal(0, Gain(sections, 0, rate), 9);
    }

    [Fact]
    public void BandPass_PassesTheStepBand_AndRejectsGravityAndVibration()
    {
        var sections = ButterworthDesign.BandPass(2, 0.3, 4, 25);
        Assert.InRange(Gain(sections, 1.8, 25), 0.95, 1.01); // a step at 108 per minute
        Assert.Equal(0, Gain(sections, 0, 25), 9);            // gravity
        Assert.True(Gain(sections, 10, 25) < 0.1);            // engine and road vibration
    }

    [Fact]
    public void Cascade_ResetToSteadyState_GivesNoTransientForAConstantInput()
    {
        var cascade = new BiquadCascade(ButterworthDesign.BandPass(2, 0.3, 4, 25));
        cascade.Reset(1.02);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(0, cascade.Process(1.02), 9);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Cascade_FilteringABlock_EqualsFilteringSampleBySample(int order)
    {
        var sections = ButterworthDesign.BandPass(order, 0.3, 4, 12.5);
        var (one, block) = (new BiquadCascade(sections), new BiquadCascade(sections));
        one.Reset(1.01);
        block.Reset(1.01);
        var random = new Random(order);
        var input = Enumerable.Range(0, 1000).Select(_ => (float)(1 + (0.3 * random.NextDouble()))).ToArray();
        var expected = input.Select(v => (float)one.Process(v)).ToArray();
        var actual = (float[])input.Clone();
        for (var at = 0; at < actual.Length; at += 37)
        {
            var n = Math.Min(37, actual.Length - at);
            block.Process(actual.AsSpan(at, n), actual.AsSpan(at, n)); // in place, in uneven blocks
        }

        Assert.Equal(expected, actual);
        Assert.Equal(one.Process(1.1), block.Process(1.1));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void Design_RejectsOddOrZeroOrders(int order)
        => Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.LowPass(order, 2, 25));

    [Fact]
    public void Design_RejectsCutoffAtOrAboveNyquist()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.LowPass(2, 6.25, 12.5));

    private static double Gain(Biquad[] sections, double frequency, double rate)
        => sections.Aggregate(1.0, (g, s) => g * s.GainAt(frequency, rate));
}

using Sensing.Signal.Filters;
using Sensing.Signal.Tests.Kernels;

namespace Sensing.Signal.Tests.Filters;

[Collection(nameof(KernelWidthCollection))]
public sealed class BlockedFilterTests
{
    private static readonly Biquad[] BandPass = ButterworthDesign.BandPass(2, 0.3, 4.0, 12.5);

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void VectorPaths_EqualTheScalarReference_BitForBit(int width)
    {
        // Each path as wide as the machine allows up to the width given: AVX-512, or AVX2 with FMA.
        var input = Signal(5_003, seed: 1);
        var vector = KernelEquivalenceTests.WithWidth(width, () => Run(input, vectorised: true, cuts: [input.Length]));
        Assert.Equal(Run(input, vectorised: false, cuts: [input.Length]), vector);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Outputs_DoNotDependOnHowTheStreamIsCut(bool vectorised)
    {
        var input = Signal(3_001, seed: 2);
        var whole = Run(input, vectorised, [input.Length]);
        var random = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var cuts = new List<int>();
            for (var total = 0; total < input.Length;)
            {
                var size = Math.Min(input.Length - total, random.Next(1, 40));
                cuts.Add(size);
                total += size;
            }

            Assert.Equal(whole, Run(input, vectorised, [.. cuts]));
        }
    }

    [Fact]
    public void Follows_TheCascadeItIsMadeOf()
    {
        var input = Signal(4_000, seed: 3);
        var cascade = new BiquadCascade(BandPass);
        cascade.Reset(input[0]);
        var expected = new float[input.Length];
        cascade.Process(input, expected);
        var blocked = Run(input, vectorised: true, [input.Length]);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - blocked[i]) < 1e-6, $"point {i}: cascade {expected[i]}, blocked {blocked[i]}");
        }
    }

    [Fact]
    public void StartsInTheSteadyStateOfItsFirstValue()
    {
        var constant = Enumerable.Repeat(1.02f, 100).ToArray();
        Assert.All(Run(constant, vectorised: true, [100]), y => Assert.True(Math.Abs(y) < 1e-6, $"{y}"));
    }

    private static float[] Run(float[] input, bool vectorised, int[] cuts)
    {
        var filter = new BlockedFilter(BandPass, vectorised);
        filter.Reset(input[0]);
        var output = new float[input.Length];
        var at = 0;
        foreach (var size in cuts)
        {
            // In place, as the step detector runs it.
            var part = output.AsSpan(at, size);
            input.AsSpan(at, size).CopyTo(part);
            filter.Process(part, part);
            at += size;
        }

        return output;
    }

    private static float[] Signal(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i => (float)(1 + (0.3 * Math.Sin(i * 2 * Math.PI * 1.8 / 12.5)) + (0.05 * random.NextDouble())))];
    }
}

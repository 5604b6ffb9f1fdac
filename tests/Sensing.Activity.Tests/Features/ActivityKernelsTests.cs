using DecimationDriver = Sensing.Signal.Kernels.DecimationDriver;
using Sensing.Activity.Features;
using Sensing.Activity.Features.Common;

namespace Sensing.Activity.Tests.Features;

/// <summary>Every kernel's vector path held to its scalar reference, for every length 0..256 and a few large ones.</summary>
public class ActivityKernelsTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 257).Concat([1000, 4095, 4096]).Select(n => new object[] { n });

    private static float[] RandomSignal(int n, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
    }

    private static void Close(float expected, float actual, float magnitude)
        => Assert.True(Math.Abs(expected - actual) <= 1e-5f * Math.Max(1f, magnitude), $"expected {expected}, got {actual}");

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Reductions_match_the_scalar_reference(int n)
    {
        var x = RandomSignal(n, n, 2f);
        var y = RandomSignal(n, n + 1000, 2f);
        Close(AggregationDriver.AggregateScalar(x, default(SumOperator)), ActivityKernels.Sum(x), n * 2f);
        Assert.Equal(AggregationDriver.AggregateScalar(x, default(MinOperator)), ActivityKernels.Min(x));
        Assert.Equal(AggregationDriver.AggregateScalar(x, default(MaxOperator)), ActivityKernels.Max(x));
        foreach (var power in new[] { 2, 3, 4 })
        {
            Close(AggregationDriver.AggregateScalar(x, new PowerDeviationOperator(0.25f, power)), ActivityKernels.SumPowerDeviation(x, 0.25f, power), n * 16f);
        }

        Close(AggregationDriver.AggregateScalar(x, y, new CenteredProductOperator(0.1f, -0.2f)), ActivityKernels.SumCenteredProduct(x, y, 0.1f, -0.2f), n * 5f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Entropy_and_total_variation_match_the_scalar_reference(int n)
    {
        // Power-like values over many decades, with zeros (x ln x is 0 there, not NaN).
        var random = new Random(n);
        var power = Enumerable.Range(0, n).Select(i => i % 7 == 3 ? 0f : MathF.Pow(10f, (float)(random.NextDouble() * 8) - 6)).ToArray();
        var expected = AggregationDriver.AggregateScalar(power, default(PowerLogPowerOperator));
        var magnitude = power.Sum(p => Math.Abs(p * MathF.Log(Math.Max(p, 1e-30f))));
        var totals = ActivityKernels.SpectrumTotals(power);
        Assert.True(Math.Abs(expected - totals.SumPowerLogPower) <= 1e-5f * Math.Max(1f, magnitude), $"sum x ln x: {expected} vs {totals.SumPowerLogPower}");

        var x = RandomSignal(n, n + 3, 2f);
        var variation = 0f;
        for (var i = 1; i < n; i++)
        {
            variation += new AbsoluteDifferenceOperator().Transform(x[i], x[i - 1]);
        }

        Close(variation, ActivityKernels.TotalVariation(x), n * 4f);
    }

    [Fact]
    public void Empty_spans_give_the_identity()
    {
        Assert.Equal(0f, ActivityKernels.Sum([]));
        Assert.Equal(float.PositiveInfinity, ActivityKernels.Min([]));
        Assert.Equal(float.NegativeInfinity, ActivityKernels.Max([]));
    }

    [Fact]
    public void Min_and_max_see_special_values()
    {
        var x = RandomSignal(100, 7);
        x[63] = float.NegativeInfinity;
        x[99] = float.PositiveInfinity;
        Assert.Equal(float.NegativeInfinity, ActivityKernels.Min(x));
        Assert.Equal(float.PositiveInfinity, ActivityKernels.Max(x));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Maps_match_the_scalar_reference(int n)
    {
        var x = RandomSignal(n, n, 3f);
        var y = RandomSignal(n, n + 1, 3f);
        var z = RandomSignal(n, n + 2, 3f);
        var expected = new float[n];
        var actual = new float[n];
        TernaryMapDriver.MapScalar(x, y, z, expected, default(MagnitudeOperator));
        ActivityKernels.Magnitude(x, y, z, actual);
        Assert.Equal(expected, actual);
        TernaryMapDriver.MapScalar(x, y, z, expected, new ProjectionOperator(0.6f, 0f, 0.8f));
        ActivityKernels.Project(x, y, z, 0.6f, 0f, 0.8f, actual);
        for (var i = 0; i < n; i++)
        {
            Close(expected[i], actual[i], 10f);
        }
    }

    [Fact]
    public void Maps_validate_the_destination_before_any_work()
    {
        var x = new float[20];
        Assert.Throws<ArgumentException>(() => ActivityKernels.Magnitude(x, x, x, new float[19]));
        Assert.Throws<ArgumentException>(() => ActivityKernels.Magnitude(x, new float[20], new float[20], x));
        Assert.Throws<ArgumentException>(() => ActivityKernels.Magnitude(x, new float[19], new float[20], new float[20]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Pair_sums_are_bit_identical_to_the_scalar_form(int n)
    {
        var x = RandomSignal(n, n, 4f);
        var expected = new float[n / 2];
        var actual = new float[n / 2];
        DecimationDriver.PairSums(x, expected, allowVectors: false);
        DecimationDriver.PairSums(x, actual);
        Assert.Equal(expected, actual);
        for (var j = 0; j < n / 2; j++)
        {
            Assert.Equal(x[2 * j] + x[(2 * j) + 1], expected[j]);
        }

        // In place, as the multi-level group sums use it.
        var inPlace = (float[])x.Clone();
        DecimationDriver.PairSums(inPlace, inPlace);
        Assert.Equal(expected, inPlace.AsSpan(0, n / 2).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    public void Group_sums_match_a_pairwise_tree_bit_for_bit(int group)
    {
        foreach (var n in new[] { 0, group - 1, group, (27 * group) + 5, (37 * group) + 3, 4096 })
        {
            var x = RandomSignal(Math.Max(0, n), n + group, 2f);
            var expected = new float[x.Length / group];
            var actual = new float[x.Length / group];
            var scratch = new float[Math.Max(1, x.Length / 2)];
            DecimationDriver.GroupSums(x, group, expected, scratch, allowVectors: false);
            ActivityKernels.GroupSums(x, group, actual, scratch);
            Assert.Equal(expected, actual);
            for (var j = 0; j < expected.Length; j++)
            {
                Close(x.AsSpan(j * group, group).ToArray().Sum(), expected[j], 64f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Accumulation_is_bit_identical_to_the_scalar_reference(int n)
    {
        var x = RandomSignal(n, n, 3f);
        var expected = RandomSignal(n + 3, n + 7, 5f);
        var actual = (float[])expected.Clone();
        AccumulateDriver.AccumulateScalar(x, expected, default(AddOperator));
        ActivityKernels.AddTo(x, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Accumulation_validates_the_accumulator_before_any_work()
    {
        var x = new float[20];
        Assert.Throws<ArgumentException>(() => ActivityKernels.AddTo(x, new float[19]));
        Assert.Throws<ArgumentException>(() => ActivityKernels.AddTo(x.AsSpan(0, 10), x.AsSpan(5, 10)));
    }

    [Fact]
    public void Group_size_must_be_a_power_of_two()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ActivityKernels.GroupSums(new float[12], 3, new float[4], new float[6]));

    public static IEnumerable<object[]> VectorWidths() => new[] { 512, 256, 0 }.Select(bits => new object[] { bits });

    [Theory]
    [MemberData(nameof(VectorWidths))]
    public void Lagged_products_of_every_vector_width_are_bit_identical_to_the_scalar_reference(int maxBits)
    {
        foreach (var n in Enumerable.Range(0, 141).Concat([250, 1000]))
        {
            var centred = new float[n + LaggedProducts.Padding];
            LaggedProducts.Centre(RandomSignal(n, n, 0.7f), 0.05f, centred);
            foreach (var (fromLag, lags) in new[] { (0, 1), (0, 21), (1, 20), (4, 7), (25, 32), (3, 40), (n, 5), (n - 3, 17) })
            {
                if (fromLag < 0)
                {
                    continue;
                }

                var (expected, actual) = (new float[lags], new float[lags]);
                LaggedProducts.SumScalar(centred, n, fromLag, expected);
                LaggedProducts.Sum(centred, n, fromLag, actual, maxBits);
                for (var k = 0; k < lags; k++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(actual[k]), $"{maxBits} bits, n {n}, lag {fromLag + k}: {expected[k]} scalar, {actual[k]} vector");
                }
            }
        }
    }

    [Fact]
    public void Lagged_products_are_the_autocorrelation_sums_and_zero_at_and_past_the_end()
    {
        const int N = 125;
        var s = RandomSignal(N, 7, 0.5f);
        var centred = new float[N + LaggedProducts.Padding];
        LaggedProducts.Centre(s, 0.1f, centred);
        var sums = new float[N + 20];
        LaggedProducts.Sum(centred, N, 0, sums);
        for (var lag = 0; lag < sums.Length; lag++)
        {
            double exact = 0, size = 0;
            for (var i = 0; i + lag < N; i++)
            {
                var product = ((double)s[i] - 0.1) * ((double)s[i + lag] - 0.1);
                (exact, size) = (exact + product, size + Math.Abs(product));
            }

            Assert.True(lag < N ? Math.Abs(sums[lag] - exact) <= 1e-5 * Math.Max(1, size) : sums[lag] == 0f, $"lag {lag}: {sums[lag]} against {exact}");
        }
    }

    [Fact]
    public void Lagged_products_refuse_a_signal_without_its_padding_and_a_negative_lag()
    {
        Assert.Throws<ArgumentException>(() => LaggedProducts.Sum(new float[10 + LaggedProducts.Padding - 1], 10, 0, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LaggedProducts.Sum(new float[10 + LaggedProducts.Padding], 10, -1, new float[4]));
        Assert.Throws<ArgumentException>(() => LaggedProducts.Centre(new float[10], 0f, new float[10 + LaggedProducts.Padding - 1]));
    }

    [Theory]
    [InlineData(125, 4, 10, 1)]
    [InlineData(125, 25, 56, 2)]
    [InlineData(12, 4, 20, 1)]
    [InlineData(12, 4, 20, 3)]
    [InlineData(3, 4, 10, 1)]
    [InlineData(30, 8, 4, 1)]
    public void The_best_autocorrelation_is_the_first_highest_lag_where_lags_past_the_end_count_as_zero(int n, int fromLag, int toLag, int lagStep)
    {
        foreach (var seed in Enumerable.Range(0, 20))
        {
            // Noise (often every r below 0) and a rhythm; a flat signal has no energy.
            var s = seed == 0 ? new float[n] : RandomSignal(n, seed).Select((v, i) => v + (seed % 2 * MathF.Sin(i * 0.9f))).ToArray();
            var mean = s.Length == 0 ? 0f : s.Average();
            var sumSquares = s.Sum(v => (v - mean) * (v - mean));
            var centred = new float[n + LaggedProducts.Padding];
            LaggedProducts.Centre(s, mean, centred);
            var sums = new float[Math.Max(0, toLag - fromLag + 1)];
            LaggedProducts.SumScalar(centred, n, fromLag, sums);

            // One lag at a time, as the feature is defined: among the lags within the window, the first highest;
            // if all were negative and a lag past the end is in range, that lag with 0.
            var expected = (Value: -1f, Lag: fromLag);
            var lag = fromLag;
            for (; lag <= toLag && lag < n; lag += lagStep)
            {
                var r = sumSquares <= 1e-9f ? 0f : sums[lag - fromLag] / sumSquares;
                if (r > expected.Value)
                {
                    expected = (r, lag);
                }
            }

            if (lag <= toLag && expected.Value < 0f)
            {
                expected = (0f, lag);
            }

            Assert.Equal(expected, FeatureExtractor.BestLag(sums, fromLag, sumSquares, new LagRange(fromLag, toLag, lagStep)));
        }
    }

    [Fact]
    public void The_best_lag_found_sixteen_at_a_time_is_the_one_found_lag_by_lag()
    {
        // Sums from a few coarse values (ties, signed zeros, all negative) and from noise, ranges of 0-16 lags at steps 1
        // and 2, each read from a span with room for a whole vector.
        var random = new Random(8);
        float[] coarse = [-3f, -1f, -0f, 0f, 0.5f, 1f, 2f];
        for (var trial = 0; trial < 4000; trial++)
        {
            var sums = Enumerable.Range(0, 40).Select(_ => trial % 3 == 0 ? (float)((random.NextDouble() * 4) - 2) : coarse[random.Next(coarse.Length)] * (trial % 5 == 0 ? -1 : 1)).ToArray();
            var step = 1 + (trial % 2);
            var (firstLag, from) = (random.Next(0, 5), random.Next(5, 8));
            var lags = new LagRange(from, from + (step * random.Next(-1, 16)), step);
            var sumSquares = trial % 11 == 0 ? 0f : (float)(0.5 + (random.NextDouble() * 4));
            var (expected, actual) = (FeatureExtractor.BestLag(sums, firstLag, sumSquares, lags, allowVectors: false), FeatureExtractor.BestLag(sums, firstLag, sumSquares, lags));
            Assert.Equal(expected.Lag, actual.Lag);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Value), BitConverter.SingleToInt32Bits(actual.Value));
        }
    }

    [Fact]
    public void Sixteen_logarithms_at_once_are_the_scalar_reference_bit_for_bit_and_close_to_log10()
    {
        var random = new Random(3);
        for (var round = 0; round < 200; round++)
        {
            // Spreads of 1 mg to 8 g and band powers down to the 1e-8 floor, as the features give them.
            var values = Enumerable.Range(0, Log10.Lanes).Select(_ => MathF.Pow(10f, (float)((random.NextDouble() * 9) - 8))).ToArray();
            var logs = values.ToArray();
            Log10.Of(logs);
            for (var k = 0; k < values.Length; k++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(Log10.OfOne(values[k])), BitConverter.SingleToInt32Bits(logs[k]));
                Assert.True(Math.Abs(logs[k] - MathF.Log10(values[k])) <= 2e-7f * Math.Max(1f, Math.Abs(MathF.Log10(values[k]))), $"log10 {values[k]}: {logs[k]}");
            }
        }
    }

    [Fact]
    public void The_logarithmic_features_are_sixteen_distinct_ones()
    {
        Assert.Equal(Log10.Lanes, FeatureExtractor.LogFeatures.Length);
        Assert.Equal(Log10.Lanes, FeatureExtractor.LogFeatures.ToArray().Distinct().Count());
        Assert.All(FeatureExtractor.LogFeatures.ToArray(), i => Assert.Contains("log", WindowFeatures.Names[i], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Reductions_fused_in_one_pass_are_bit_identical_to_one_at_a_time(int n)
    {
        var (x, y, z) = (RandomSignal(n, n, 2f), RandomSignal(n, n + 1, 1f), RandomSignal(n, n + 2, 0.01f));
        static void Same(float expected, float actual) => Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
        var (sums, minima, maxima) = ActivityKernels.SumsMinimaMaxima(x, y, z);
        foreach (var (axis, k) in new[] { (x, 0), (y, 1), (z, 2) })
        {
            Same(ActivityKernels.Sum(axis), k == 0 ? sums.X : k == 1 ? sums.Y : sums.Z);
            Same(ActivityKernels.Min(axis), k == 0 ? minima.X : k == 1 ? minima.Y : minima.Z);
            Same(ActivityKernels.Max(axis), k == 0 ? maxima.X : k == 1 ? maxima.Y : maxima.Z);
        }

        var (squares, products) = ActivityKernels.SecondMoments(x, 0.1f, y, -0.9f, z, 0.3f);
        Same(ActivityKernels.SumPowerDeviation(x, 0.1f, 2), squares.X);
        Same(ActivityKernels.SumPowerDeviation(y, -0.9f, 2), squares.Y);
        Same(ActivityKernels.SumPowerDeviation(z, 0.3f, 2), squares.Z);
        Same(ActivityKernels.SumCenteredProduct(x, y, 0.1f, -0.9f), products.XY);
        Same(ActivityKernels.SumCenteredProduct(x, z, 0.1f, 0.3f), products.XZ);
        Same(ActivityKernels.SumCenteredProduct(y, z, -0.9f, 0.3f), products.YZ);
        var totals = ActivityKernels.SpectrumTotals(z);
        Same(ActivityKernels.Sum(z), totals.Sum);
        Same(ActivityKernels.Max(z), totals.Max);
        Same(AggregationDriver.Aggregate(z, default(PowerLogPowerOperator)), totals.SumPowerLogPower);
        var range = ActivityKernels.SumAndRange(y);
        Same(ActivityKernels.Sum(y), range.Sum);
        Same(ActivityKernels.Max(y), range.Max);
        Same(ActivityKernels.Min(y), range.Min);
        var powers = ActivityKernels.SumDeviationPowers(x, 0.2f);
        Same(ActivityKernels.SumPowerDeviation(x, 0.2f, 2), powers.Second);
        Same(ActivityKernels.SumPowerDeviation(x, 0.2f, 3), powers.Third);
        Same(ActivityKernels.SumPowerDeviation(x, 0.2f, 4), powers.Fourth);
    }
}

using Sensing.Signal.Kernels;

namespace Sensing.Signal.Tests.Kernels;

/// <summary>
/// Every vector width of every kernel against its scalar reference, for every length 0..256 and some large ones,
/// bit for bit: the kernels are written so that the vector and scalar forms perform the same IEEE operations.
/// </summary>
[Collection(nameof(KernelWidthCollection))]
public sealed class KernelEquivalenceTests
{
    public static TheoryData<int> Widths => new() { (int)KernelWidth.V128, (int)KernelWidth.V256, (int)KernelWidth.V512, (int)KernelWidth.Widest };

    private static IEnumerable<int> Lengths => Enumerable.Range(0, 257).Concat([1000, 4096, 10_007]);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Magnitude_EqualsScalarReference(int width)
    {
        var random = new Random(20261121);
        foreach (var n in Lengths)
        {
            var (x, y, z) = (Floats(random, n), Floats(random, n), Floats(random, n));
            var expected = new float[n];
            KernelDriver.ScalarTernary<MagnitudeOperator>(x, y, z, expected);
            var actual = WithWidth(width, () =>
            {
                var d = new float[n];
                SignalKernels.Magnitude(x, y, z, d);
                return d;
            });
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MultiplyAdd_EqualsScalarReference(int width)
    {
        var random = new Random(width);
        foreach (var n in Lengths)
        {
            var x = Floats(random, n);
            var start = Floats(random, n);
            var expected = (float[])start.Clone();
            SignalKernels.MultiplyAddScalar(x, 0.37f, expected);
            var actual = WithWidth(width, () =>
            {
                var a = (float[])start.Clone();
                SignalKernels.MultiplyAdd(x, 0.37f, a);
                return a;
            });
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MultiplyAddLagged_EqualsScalarReference(int width)
    {
        var random = new Random(width + 1);
        foreach (var lags in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 70 })
        {
            foreach (var samples in new[] { 0, 1, 2, 13, 64 })
            {
                var offset = lags + random.Next(0, 5);
                var source = Floats(random, offset + samples);
                var start = Floats(random, lags);
                var expected = (float[])start.Clone();
                SignalKernels.MultiplyAddLaggedScalar(source, offset, expected);
                var actual = WithWidth(width, () =>
                {
                    var a = (float[])start.Clone();
                    SignalKernels.MultiplyAddLagged(source, offset, a);
                    return a;
                });
                Assert.Equal(expected, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ReplaceOldest_EqualsScalarReference(int width)
    {
        var random = new Random(width + 2);
        foreach (var n in Lengths)
        {
            var (newest, oldest) = (Floats(random, n), Floats(random, n));
            var start = Floats(random, n).Select(v => v * 1e3).ToArray();
            var (expected, expectedNewest, expectedOldest) = ((double[])start.Clone(), (float[])newest.Clone(), (float[])oldest.Clone());
            SignalKernels.ReplaceOldestScalar(expectedNewest, expectedOldest, expected);
            var (actual, actualNewest, actualOldest) = WithWidth(width, () =>
            {
                var (a, b, c) = ((double[])start.Clone(), (float[])newest.Clone(), (float[])oldest.Clone());
                SignalKernels.ReplaceOldest(b, c, a);
                return (a, b, c);
            });

            // The sum took the new second in and the oldest out; the new second is the oldest slot's now.
            Assert.Equal(start.Select((v, i) => v + ((double)newest[i] - oldest[i])), expected);
            Assert.Equal(newest, expectedOldest);
            Assert.All(expectedNewest, v => Assert.Equal(0f, v));
            Assert.Equal(expected, actual);
            Assert.Equal(expectedNewest, actualNewest);
            Assert.Equal(expectedOldest, actualOldest);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CorrelationReversed_EqualsScalarReference(int width)
    {
        var random = new Random(width + 3);
        foreach (var n in Lengths)
        {
            // Running sums rise; a shift with no energy, and one whose sums fell (a negative energy), check that the
            // ε, NaN and infinity come out alike too.
            var products = Floats(random, n).Select(v => v * 50.0).ToArray();
            var starts = Floats(random, n).Select(v => 1e4 + (v * v * 100.0)).ToArray();
            var ends = starts.Select(v => v + (random.NextDouble() * 300)).ToArray();
            if (n > 2)
            {
                (ends[0], ends[1]) = (starts[0], starts[1] - 1);
            }

            var expected = new float[n];
            SignalKernels.CorrelationReversedScalar(products, ends, starts, 37.25, expected);
            var actual = WithWidth(width, () =>
            {
                var r = new float[n];
                SignalKernels.CorrelationReversed(products, ends, starts, 37.25, r);
                return r;
            });
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CountGroupSums_EqualScalarReference_ForEveryGroupSize(int width)
    {
        var random = new Random(width + 5);
        foreach (var n in Lengths)
        {
            var counts = Shorts(random, n);
            for (var group = 1; group <= 64; group *= 2)
            {
                var expected = new int[(n / group) + 1];
                var written = CountGroupSums.SumScalar(counts, group, expected);
                Assert.Equal(n / group, written);
                var actual = WithWidth(width, () =>
                {
                    var d = new int[expected.Length];
                    CountGroupSums.Sum(counts, group, d);
                    return d;
                });
                Assert.Equal(expected, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CountGroupSums_OfThreeChannels_EqualScalarReferencePerChannel(int width)
    {
        var random = new Random(width + 6);
        foreach (var n in Lengths)
        {
            short[][] channels = [Shorts(random, n), Shorts(random, n), Shorts(random, n)];
            for (var group = 1; group <= 64; group *= 2)
            {
                var expected = channels.Select(c =>
                {
                    var d = new int[(n / group) + 1];
                    CountGroupSums.SumScalar(c, group, d);
                    return d;
                }).ToArray();
                var actual = WithWidth(width, () =>
                {
                    var d = expected.Select(e => new int[e.Length]).ToArray();
                    Assert.Equal(n / group, CountGroupSums.Sum(channels[0], channels[1], channels[2], group, d[0], d[1], d[2]));
                    return d;
                });
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void CountGroupSums_OfThreeChannels_RefuseChannelsOfDifferentLengths()
    {
        var sums = new int[8];
        var error = Assert.Throws<ArgumentException>(() => CountGroupSums.Sum(new short[8], new short[8], new short[6], 2, sums, sums, sums));
        Assert.Contains("(8, 8, 6)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CountGroupSums.Sum(new short[8], new short[8], new short[8], 2, sums, sums, new int[3]));
    }

    [Fact]
    public void CountGroupSums_AreTheSumsOfEachGroup_AndRefuseOtherSizes()
    {
        short[] counts = [32767, 32767, -32768, -32768, 1, 2, 3, 4, 9];
        var sums = new int[4];
        Assert.Equal(4, CountGroupSums.Sum(counts, 2, sums));
        Assert.Equal([65534, -65536, 3, 7], sums);
        Assert.Throws<ArgumentOutOfRangeException>(() => CountGroupSums.Sum(counts, 3, sums));
        Assert.Throws<ArgumentOutOfRangeException>(() => CountGroupSums.Sum(counts, 128, sums));
        Assert.Throws<ArgumentException>(() => CountGroupSums.Sum(counts, 1, sums));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void InterpolateAndScaleSums_EqualScalarReference(int width)
    {
        var random = new Random(width + 9);
        foreach (var n in Lengths)
        {
            var (from, to) = (Floats(random, n), Floats(random, n));
            var sums = Enumerable.Range(0, n).Select(_ => random.Next(-2_000_000, 2_000_000)).ToArray();
            var expected = from.Zip(to, (a, b) => SignalKernels.InterpolateScalar(a, b, 0.4375f)).ToArray();
            var expectedScaled = sums.Select(v => v * (1f / 65536)).ToArray();
            var (actual, scaled) = WithWidth(width, () =>
            {
                var d = new float[n];
                var e = new float[n];
                SignalKernels.Interpolate(from, to, 0.4375f, d);
                SignalKernels.ScaleSums(sums, 1f / 65536, e);
                return (d, e);
            });
            Assert.Equal(expected, actual);
            Assert.Equal(expectedScaled, scaled);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void PeakMask_EqualsScalarReference_WithPlateausAndNaN(int width)
    {
        var random = new Random(width + 13);
        foreach (var n in Lengths)
        {
            // Coarse values make plateaus (ties decide), a few NaN and negatives the rejections.
            var signal = Floats(random, n).Select(v => random.Next(50) == 0 ? float.NaN : MathF.Round(v * 2) / 2).ToArray();
            for (var k = 1; k <= 4; k++)
            {
                var words = (Math.Max(0, n - (2 * k)) + 63) / 64;
                var expected = Enumerable.Repeat(ulong.MaxValue, words + 1).ToArray();
                SignalKernels.PeakMaskScalar(signal, k, expected);
                var actual = WithWidth(width, () =>
                {
                    var m = Enumerable.Repeat(ulong.MaxValue, words + 1).ToArray();
                    SignalKernels.PeakMask(signal, k, m);
                    return m;
                });
                Assert.Equal(expected, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FirstStrongPeak_EqualsScalarReference_WithPlateausNegativesAndNaN(int width)
    {
        var random = new Random(width + 17);
        for (var trial = 0; trial < 4000; trial++)
        {
            // Autocorrelation-like curves of 3..66 values: coarse values make plateaus and ties with the best, a few
            // NaN, and whole curves below zero (no peak counts then).
            var n = random.Next(3, 67);
            var shift = random.Next(8) == 0 ? -5f : 0f;
            var r = Floats(random, n).Select(v => random.Next(40) == 0 ? float.NaN : (MathF.Round(v * 3) / 12) + shift).ToArray();
            var nearBest = (float)random.NextDouble();
            for (var last = 1; last <= Math.Min(64, n - 2); last++)
            {
                var expected = SignalKernels.FirstStrongPeakScalar(r, last, nearBest);
                Assert.Equal(expected, WithWidth(width, () => SignalKernels.FirstStrongPeak(r, last, nearBest)));
            }
        }
    }

    [Fact]
    public void FirstStrongPeak_IsTheShortestLocalMaximumNearTheBest()
    {
        // Maxima at 2 (0.5), 5 (0.9) and 8 (0.8): with 0.85 of the best (0.765) the first strong one is 5; with 0.5 it is 2.
        float[] r = [0.1f, 0.3f, 0.5f, 0.2f, 0.4f, 0.9f, 0.6f, 0.7f, 0.8f, 0.1f, 0, 0];
        Assert.Equal(5, SignalKernels.FirstStrongPeak(r, 9, 0.85f));
        Assert.Equal(2, SignalKernels.FirstStrongPeak(r, 9, 0.5f));
        Assert.Equal(0, SignalKernels.FirstStrongPeak([-0.1f, -0.3f, -0.2f, -0.4f], 2, 0.85f));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalKernels.FirstStrongPeak(r, 11, 0.85f));
    }

    [Fact]
    public void PeakMask_MarksAStrictRiseAndTheFirstSampleOfAPlateau()
    {
        float[] signal = [0, 1, 3, 1, 0, 2, 2, 1, 0, -1, -0.5f, -1, 0];
        var mask = new ulong[1];
        SignalKernels.PeakMask(signal, 1, mask);
        Assert.Equal((1ul << 1) | (1ul << 4), mask[0]); // the 3 at index 2, the first 2 at index 5; not the -0.5
    }

    [Fact]
    public void MultiplyAddLagged_IsOneMultiplyAddPerSample()
    {
        var random = new Random(7);
        var source = Floats(random, 50);
        var expected = new float[10];
        for (var i = 12; i < source.Length; i++)
        {
            SignalKernels.MultiplyAddScalar(source.AsSpan(i - 12, 10), source[i], expected);
        }

        var actual = new float[10];
        SignalKernels.MultiplyAddLagged(source, 12, actual);
        Assert.Equal(expected, actual);
        Assert.Throws<ArgumentException>(() => SignalKernels.MultiplyAddLagged(source, 8, actual));
    }

    [Fact]
    public void Magnitude_IsTheEuclideanNorm()
    {
        var d = new float[3];
        SignalKernels.Magnitude([3f, 0f, 1f], [4f, 0f, 2f], [0f, 0f, 2f], d);
        Assert.Equal([5f, 0f, 3f], d);
    }

    [Fact]
    public void Kernels_RejectShortDestinationsAndMismatchedInputs()
    {
        Assert.Throws<ArgumentException>(() => SignalKernels.Magnitude(new float[4], new float[4], new float[4], new float[3]));
        Assert.Throws<ArgumentException>(() => SignalKernels.Magnitude(new float[4], new float[3], new float[4], new float[4]));
    }

    internal static T WithWidth<T>(int width, Func<T> action)
    {
        var previous = KernelDriver.MaxWidth;
        KernelDriver.MaxWidth = (KernelWidth)width;
        try
        {
            return action();
        }
        finally
        {
            KernelDriver.MaxWidth = previous;
        }
    }

    private static float[] Floats(Random random, int n)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (float)((random.NextDouble() * 8) - 4);
        }

        return values;
    }

    private static short[] Shorts(Random random, int n)
    {
        var values = new short[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        return values;
    }
}

/// <summary>Tests that switch <see cref="KernelDriver.MaxWidth"/> (a process-wide setting) never run in parallel.</summary>
[CollectionDefinition(nameof(KernelWidthCollection), DisableParallelization = true)]
public sealed class KernelWidthCollection;

using System.Runtime.Intrinsics;
using Sensing.Signal.Kernels;
using Sensing.Activity.Features.Common;

namespace Sensing.Activity.Features;

/// <summary>
/// The SIMD kernels the activity features are made of. Each method is one line that hands an operator to the
/// driver of its shape; the drivers own dispatch (Vector512/256/128, scalar) and tails.
/// </summary>
internal static class ActivityKernels
{
    public static float Sum(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(SumOperator));

    /// <summary>The sums, minima and maxima of three spans of one length, in one pass.</summary>
    public static ((float X, float Y, float Z) Sums, (float X, float Y, float Z) Minima, (float X, float Y, float Z) Maxima) SumsMinimaMaxima(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
        => AggregationDriver.Aggregate(x, y, z, default(SumOperator), default(MinOperator), default(MaxOperator));

    /// <summary>
    /// Sums of squared deviations of three spans from their centres and of the centred products of each pair (x y,
    /// x z, y z), in one pass: the covariance of a window's axes times its length.
    /// </summary>
    public static ((float X, float Y, float Z) Squares, (float XY, float XZ, float YZ) Products) SecondMoments(ReadOnlySpan<float> x, float cx, ReadOnlySpan<float> y, float cy, ReadOnlySpan<float> z, float cz)
        => AggregationDriver.Aggregate(
            x, new PowerDeviationOperator(cx, 2), y, new PowerDeviationOperator(cy, 2), z, new PowerDeviationOperator(cz, 2),
            new CenteredProductOperator(cx, cy), new CenteredProductOperator(cx, cz), new CenteredProductOperator(cy, cz));

    /// <summary>Sums of the 2nd, 3rd and 4th powers of the deviations of one span from a centre, in one pass.</summary>
    public static (float Second, float Third, float Fourth) SumDeviationPowers(ReadOnlySpan<float> x, float center)
        => AggregationDriver.Aggregate(x, new PowerDeviationOperator(center, 2), x, new PowerDeviationOperator(center, 3), x, new PowerDeviationOperator(center, 4));

    /// <summary>The largest lane of a vector (the same maxima, in the same order, as the end of <see cref="Max"/>).</summary>
    public static float Largest(Vector512<float> v) => AggregationDriver.Reduce(default(MaxOperator), v);

    public static float Min(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(MinOperator));

    public static float Max(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(MaxOperator));

    /// <summary>Sum of <c>(x - center)^power</c>, power 2, 3 or 4.</summary>
    public static float SumPowerDeviation(ReadOnlySpan<float> x, float center, int power) => AggregationDriver.Aggregate(x, new PowerDeviationOperator(center, power));

    /// <summary>Sum of <c>(x - cx)(y - cy)</c>.</summary>
    public static float SumCenteredProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float cx, float cy) => AggregationDriver.Aggregate(x, y, new CenteredProductOperator(cx, cy));

    /// <summary>
    /// The sum, the largest element and the sum of <c>x ln x</c> over positive elements (the raw material of spectral
    /// entropy) of one span, in one pass: a power spectrum's total, peak and entropy.
    /// </summary>
    public static (float Sum, float Max, float SumPowerLogPower) SpectrumTotals(ReadOnlySpan<float> power)
        => AggregationDriver.Aggregate(power, default(SumOperator), power, default(MaxOperator), power, default(PowerLogPowerOperator));

    /// <summary>The sum, the largest and the smallest element of one span, in one pass.</summary>
    public static (float Sum, float Max, float Min) SumAndRange(ReadOnlySpan<float> x)
        => AggregationDriver.Aggregate(x, default(SumOperator), x, default(MaxOperator), x, default(MinOperator));

    /// <summary>Sum of <c>|x[i] - x[i-1]|</c>: the total variation of a signal.</summary>
    public static float TotalVariation(ReadOnlySpan<float> x) => x.Length < 2 ? 0f : AggregationDriver.Aggregate(x[1..], x[..^1], default(AbsoluteDifferenceOperator));

    public static void Magnitude(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination) => TernaryMapDriver.Map(x, y, z, destination, default(MagnitudeOperator));

    public static void Project(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, float ux, float uy, float uz, Span<float> destination)
        => TernaryMapDriver.Map(x, y, z, destination, new ProjectionOperator(ux, uy, uz));

    /// <summary><c>destination[i] += x[i]</c>: sums of rows of the window context.</summary>
    public static void AddTo(ReadOnlySpan<float> x, Span<float> destination) => AccumulateDriver.Accumulate(x, destination, default(AddOperator));

    /// <summary>Sums of groups of <paramref name="groupSize"/> consecutive samples (power of two); see <see cref="DecimationDriver.GroupSums"/>.</summary>
    public static int GroupSums(ReadOnlySpan<float> source, int groupSize, Span<float> destination, Span<float> scratch) => DecimationDriver.GroupSums(source, groupSize, destination, scratch);
}

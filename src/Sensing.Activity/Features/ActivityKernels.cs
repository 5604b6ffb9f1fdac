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

    public static float Min(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(MinOperator));

    public static float Max(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(MaxOperator));

    /// <summary>Sum of <c>(x - center)^power</c>, power 2, 3 or 4.</summary>
    public static float SumPowerDeviation(ReadOnlySpan<float> x, float center, int power) => AggregationDriver.Aggregate(x, new PowerDeviationOperator(center, power));

    /// <summary>Sum of <c>(x - cx)(y - cy)</c>.</summary>
    public static float SumCenteredProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float cx, float cy) => AggregationDriver.Aggregate(x, y, new CenteredProductOperator(cx, cy));

    /// <summary>
    /// <c>sums[k]</c> = <see cref="SumCenteredProduct"/> of <c>s[..^L]</c> and <c>s[L..]</c>, both centred on
    /// <paramref name="center"/>, for <c>L = fromLag + k * lagStep</c>: the raw autocorrelation at many lags in one
    /// call, bit for bit the lag-by-lag sums.
    /// </summary>
    public static void SumLaggedCenteredProducts(ReadOnlySpan<float> s, float center, int fromLag, int lagStep, Span<float> sums)
        => AggregationDriver.AggregateLagged(s, fromLag, lagStep, sums, new CenteredProductOperator(center, center));

    /// <summary>Sum of <c>x ln x</c> over positive elements (the raw material of spectral entropy).</summary>
    public static float SumPowerLogPower(ReadOnlySpan<float> x) => AggregationDriver.Aggregate(x, default(PowerLogPowerOperator));

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

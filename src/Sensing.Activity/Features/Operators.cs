using System.Runtime.Intrinsics;
using Sensing.Activity.Features.Common;

namespace Sensing.Activity.Features;

// The feature kernels' operators, one small struct per operation. Each has the scalar form the tests hold the
// vector forms to. They are internal: callers go through ActivityKernels.

/// <summary>Sum of the elements.</summary>
internal readonly struct SumOperator : IAggregationOperator
{
    public float Identity => 0f;

    public float Transform(float x) => x;

    public Vector128<float> Transform(Vector128<float> x) => x;

    public Vector256<float> Transform(Vector256<float> x) => x;

    public Vector512<float> Transform(Vector512<float> x) => x;

    public float Combine(float a, float b) => a + b;

    public Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => a + b;

    public Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => a + b;

    public Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>Sum of <c>(x - center)^Power</c> for Power 2, 3 or 4: the raw material of variance, skewness and kurtosis.</summary>
internal readonly struct PowerDeviationOperator(float center, int power) : IAggregationOperator
{
    public float Identity => 0f;

    public float Transform(float x)
    {
        var d = x - center;
        var d2 = d * d;
        return power switch { 2 => d2, 3 => d2 * d, _ => d2 * d2 };
    }

    public Vector128<float> Transform(Vector128<float> x)
    {
        var d = x - Vector128.Create(center);
        var d2 = d * d;
        return power switch { 2 => d2, 3 => d2 * d, _ => d2 * d2 };
    }

    public Vector256<float> Transform(Vector256<float> x)
    {
        var d = x - Vector256.Create(center);
        var d2 = d * d;
        return power switch { 2 => d2, 3 => d2 * d, _ => d2 * d2 };
    }

    public Vector512<float> Transform(Vector512<float> x)
    {
        var d = x - Vector512.Create(center);
        var d2 = d * d;
        return power switch { 2 => d2, 3 => d2 * d, _ => d2 * d2 };
    }

    public float Combine(float a, float b) => a + b;

    public Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => a + b;

    public Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => a + b;

    public Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>Smallest element (+inf for an empty span).</summary>
internal readonly struct MinOperator : IAggregationOperator
{
    public float Identity => float.PositiveInfinity;

    public float Transform(float x) => x;

    public Vector128<float> Transform(Vector128<float> x) => x;

    public Vector256<float> Transform(Vector256<float> x) => x;

    public Vector512<float> Transform(Vector512<float> x) => x;

    public float Combine(float a, float b) => MathF.Min(a, b);

    public Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    public Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    public Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
}

/// <summary>Largest element (-inf for an empty span).</summary>
internal readonly struct MaxOperator : IAggregationOperator
{
    public float Identity => float.NegativeInfinity;

    public float Transform(float x) => x;

    public Vector128<float> Transform(Vector128<float> x) => x;

    public Vector256<float> Transform(Vector256<float> x) => x;

    public Vector512<float> Transform(Vector512<float> x) => x;

    public float Combine(float a, float b) => MathF.Max(a, b);

    public Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    public Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    public Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
}

/// <summary>Sum of <c>(x - cx)(y - cy)</c>: covariances, and autocorrelation when y is x shifted by a lag.</summary>
internal readonly struct CenteredProductOperator(float centerX, float centerY) : IBinaryOperator
{
    public float Transform(float x, float y) => (x - centerX) * (y - centerY);

    public Vector128<float> Transform(Vector128<float> x, Vector128<float> y) => (x - Vector128.Create(centerX)) * (y - Vector128.Create(centerY));

    public Vector256<float> Transform(Vector256<float> x, Vector256<float> y) => (x - Vector256.Create(centerX)) * (y - Vector256.Create(centerY));

    public Vector512<float> Transform(Vector512<float> x, Vector512<float> y) => (x - Vector512.Create(centerX)) * (y - Vector512.Create(centerY));
}

/// <summary>Euclidean norm of the acceleration vector, in g.</summary>
internal readonly struct MagnitudeOperator : ITernaryMapOperator
{
    public float Invoke(float x, float y, float z) => MathF.Sqrt((x * x) + (y * y) + (z * z));

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => Vector128.Sqrt((x * x) + (y * y) + (z * z));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => Vector256.Sqrt((x * x) + (y * y) + (z * z));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => Vector512.Sqrt((x * x) + (y * y) + (z * z));
}

/// <summary>Projection of each sample on a fixed direction (the window's unit gravity vector, or a principal motion axis).</summary>
internal readonly struct ProjectionOperator(float ux, float uy, float uz) : ITernaryMapOperator
{
    public float Invoke(float x, float y, float z) => (x * ux) + (y * uy) + (z * uz);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z)
        => (x * Vector128.Create(ux)) + (y * Vector128.Create(uy)) + (z * Vector128.Create(uz));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z)
        => (x * Vector256.Create(ux)) + (y * Vector256.Create(uy)) + (z * Vector256.Create(uz));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z)
        => (x * Vector512.Create(ux)) + (y * Vector512.Create(uy)) + (z * Vector512.Create(uz));
}

/// <summary><c>acc + x</c>: sums of context rows.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Transform(float x, float y) => x + y;

    public Vector128<float> Transform(Vector128<float> x, Vector128<float> y) => x + y;

    public Vector256<float> Transform(Vector256<float> x, Vector256<float> y) => x + y;

    public Vector512<float> Transform(Vector512<float> x, Vector512<float> y) => x + y;
}

/// <summary>
/// Sum of <c>x ln x</c> (0 for x &lt;= 0): with the total power T, the spectral entropy of shares p = x / T is
/// <c>ln T - sum(x ln x) / T</c>. The vector forms use the vector natural logarithm, which agrees with
/// <see cref="MathF.Log(float)"/> to a few ulps.
/// </summary>
internal readonly struct PowerLogPowerOperator : IAggregationOperator
{
    public float Identity => 0f;

    public float Transform(float x) => x > 0f ? x * MathF.Log(x) : 0f;

    public Vector128<float> Transform(Vector128<float> x)
        => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x * Vector128.Log(x), Vector128<float>.Zero);

    public Vector256<float> Transform(Vector256<float> x)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * Vector256.Log(x), Vector256<float>.Zero);

    public Vector512<float> Transform(Vector512<float> x)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * Vector512.Log(x), Vector512<float>.Zero);

    public float Combine(float a, float b) => a + b;

    public Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => a + b;

    public Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => a + b;

    public Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary><c>|x - y|</c>: summed over a signal and itself shifted by one sample, its total variation (jerk).</summary>
internal readonly struct AbsoluteDifferenceOperator : IBinaryOperator
{
    public float Transform(float x, float y) => MathF.Abs(x - y);

    public Vector128<float> Transform(Vector128<float> x, Vector128<float> y) => Vector128.Abs(x - y);

    public Vector256<float> Transform(Vector256<float> x, Vector256<float> y) => Vector256.Abs(x - y);

    public Vector512<float> Transform(Vector512<float> x, Vector512<float> y) => Vector512.Abs(x - y);
}

using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>
/// An element-wise function of two floats: summed over two spans by <see cref="AggregationDriver"/> (dot products,
/// lagged products), or applied in place to an accumulator by <see cref="AccumulateDriver"/> (<c>acc[i] = f(acc[i], x[i])</c>).
/// </summary>
internal interface IBinaryOperator
{
    float Transform(float x, float y);

    Vector128<float> Transform(Vector128<float> x, Vector128<float> y);

    Vector256<float> Transform(Vector256<float> x, Vector256<float> y);

    Vector512<float> Transform(Vector512<float> x, Vector512<float> y);
}

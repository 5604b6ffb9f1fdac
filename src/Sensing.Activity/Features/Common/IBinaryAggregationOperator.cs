using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>A reduction over two spans of equal length: pairs are transformed, then summed (dot products, lagged products).</summary>
internal interface IBinaryAggregationOperator
{
    float Transform(float x, float y);

    Vector128<float> Transform(Vector128<float> x, Vector128<float> y);

    Vector256<float> Transform(Vector256<float> x, Vector256<float> y);

    Vector512<float> Transform(Vector512<float> x, Vector512<float> y);
}

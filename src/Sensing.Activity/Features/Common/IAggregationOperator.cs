using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>
/// A reduction over one span: each element is transformed, then combined with an associative operation whose
/// identity is <see cref="Identity"/>. Implemented by readonly structs so the driver is specialised and inlined.
/// </summary>
/// <remarks>The scalar <see cref="Transform(float)"/>/<see cref="Combine(float, float)"/> pair is the reference the vector paths are tested against.</remarks>
internal interface IAggregationOperator
{
    float Identity { get; }

    float Transform(float x);

    Vector128<float> Transform(Vector128<float> x);

    Vector256<float> Transform(Vector256<float> x);

    Vector512<float> Transform(Vector512<float> x);

    float Combine(float a, float b);

    Vector128<float> Combine(Vector128<float> a, Vector128<float> b);

    Vector256<float> Combine(Vector256<float> a, Vector256<float> b);

    Vector512<float> Combine(Vector512<float> a, Vector512<float> b);
}

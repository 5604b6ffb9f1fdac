using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

/// <summary>sqrt(x*x + y*y + z*z), evaluated as ((x*x + y*y) + z*z) in every form.</summary>
internal readonly struct MagnitudeOperator : ITernaryOperator
{
    public static float Invoke(float x, float y, float z) => MathF.Sqrt((x * x) + (y * y) + (z * z));

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z)
        => Vector128.Sqrt((x * x) + (y * y) + (z * z));

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z)
        => Vector256.Sqrt((x * x) + (y * y) + (z * z));

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z)
        => Vector512.Sqrt((x * x) + (y * y) + (z * z));
}

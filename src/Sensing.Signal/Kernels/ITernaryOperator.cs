using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

/// <summary>
/// An element-wise operator f(x, y, z) written once for every vector width and for scalars, in the manner of
/// TensorPrimitives' operator structs. The driver (<see cref="KernelDriver"/>) picks the widest width the CPU
/// accelerates and finishes the tail with the scalar form, which is also the reference that tests hold the
/// vector forms to. Implementations must perform the same IEEE operations in the same order in every form so
/// that results are bit-identical (no fused multiply-add in one form and not the other).
/// </summary>
internal interface ITernaryOperator
{
    static abstract float Invoke(float x, float y, float z);

    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

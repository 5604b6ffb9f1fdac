using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>destination[i] = from[i] + weight * (to[i] - from[i])</c>: a subtract, a multiply and an add (never fused),
    /// the grid's interpolation between consecutive group means, in the same IEEE operations as its scalar form.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Interpolate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, float weight, Span<float> destination)
    {
        if (from.Length != to.Length || destination.Length != from.Length)
        {
            ThrowLengthsDiffer(from.Length, destination.Length);
        }

        var n = from.Length;
        ref var fr = ref MemoryMarshal.GetReference(from);
        ref var tr = ref MemoryMarshal.GetReference(to);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var w = Vector512.Create(weight);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                var a = Vector512.LoadUnsafe(ref fr, i);
                (a + (w * (Vector512.LoadUnsafe(ref tr, i) - a))).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var w = Vector256.Create(weight);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                var a = Vector256.LoadUnsafe(ref fr, i);
                (a + (w * (Vector256.LoadUnsafe(ref tr, i) - a))).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            var w = Vector128.Create(weight);
            for (; (int)i <= n - Vector128<float>.Count; i += (nuint)Vector128<float>.Count)
            {
                var a = Vector128.LoadUnsafe(ref fr, i);
                (a + (w * (Vector128.LoadUnsafe(ref tr, i) - a))).StoreUnsafe(ref dr, i);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref dr, i) = InterpolateScalar(Unsafe.Add(ref fr, i), Unsafe.Add(ref tr, i), weight);
        }
    }

    /// <summary>The scalar reference of <see cref="Interpolate"/>, one value.</summary>
    public static float InterpolateScalar(float from, float to, float weight) => from + (weight * (to - from));

    /// <summary><c>destination[i] = sums[i] * scale</c>: integer group sums of counts to g (exact for a power-of-two scale).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void ScaleSums(ReadOnlySpan<int> sums, float scale, Span<float> destination)
    {
        if (destination.Length != sums.Length)
        {
            ThrowLengthsDiffer(sums.Length, destination.Length);
        }

        var n = sums.Length;
        ref var sr = ref MemoryMarshal.GetReference(sums);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; (int)i <= n - Vector512<int>.Count; i += (nuint)Vector512<int>.Count)
            {
                (Vector512.ConvertToSingle(Vector512.LoadUnsafe(ref sr, i)) * s).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; (int)i <= n - Vector256<int>.Count; i += (nuint)Vector256<int>.Count)
            {
                (Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref sr, i)) * s).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            for (; (int)i <= n - Vector128<int>.Count; i += (nuint)Vector128<int>.Count)
            {
                (Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref sr, i)) * s).StoreUnsafe(ref dr, i);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref dr, i) = ScaleSum(Unsafe.Add(ref sr, i), scale);
        }
    }

    /// <summary>The scalar reference of <see cref="ScaleSums"/>.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void ScaleSumsScalar(ReadOnlySpan<int> sums, float scale, Span<float> destination)
    {
        if (destination.Length != sums.Length)
        {
            ThrowLengthsDiffer(sums.Length, destination.Length);
        }

        for (var i = 0; i < sums.Length; i++)
        {
            destination[i] = ScaleSum(sums[i], scale);
        }
    }

    private static float ScaleSum(int sum, float scale) => sum * scale;
}

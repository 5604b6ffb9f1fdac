using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>accumulator[i] += scale * x[i]</c>: a multiply then an add (never fused), so every width and the scalar
    /// reference give the same bits.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float scale, Span<float> accumulator)
    {
        if (x.Length != accumulator.Length)
        {
            ThrowLengthsDiffer(x.Length, accumulator.Length);
        }

        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var ar = ref MemoryMarshal.GetReference(accumulator);
        nuint i = 0;
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref ar, i) + (s * Vector512.LoadUnsafe(ref xr, i))).StoreUnsafe(ref ar, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref ar, i) + (s * Vector256.LoadUnsafe(ref xr, i))).StoreUnsafe(ref ar, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            for (; (int)i <= n - Vector128<float>.Count; i += (nuint)Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref ar, i) + (s * Vector128.LoadUnsafe(ref xr, i))).StoreUnsafe(ref ar, i);
            }
        }

        // The tail, and the whole of it below one vector, is the scalar reference itself.
        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref ar, i) += scale * Unsafe.Add(ref xr, i);
        }
    }

    /// <summary>The scalar reference of <see cref="MultiplyAdd"/>.</summary>
    public static void MultiplyAddScalar(ReadOnlySpan<float> x, float scale, Span<float> accumulator)
    {
        if (x.Length != accumulator.Length)
        {
            ThrowLengthsDiffer(x.Length, accumulator.Length);
        }

        for (var i = 0; i < x.Length; i++)
        {
            accumulator[i] += scale * x[i];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthsDiffer(int a, int b) => throw new ArgumentException($"Input lengths differ: {a} and {b}.");
}

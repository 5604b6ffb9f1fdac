using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>destination[i] = numerator[i] / sqrt(denominator[i])</c>: a correlation from its products and energies in
    /// one pass. The square root and the division are exactly rounded in every width, so all give the scalar bits.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void DivideBySquareRoot(ReadOnlySpan<float> numerator, ReadOnlySpan<float> denominator, Span<float> destination)
    {
        CheckDivide(numerator, denominator, destination);
        var n = numerator.Length;
        ref var nr = ref MemoryMarshal.GetReference(numerator);
        ref var dr = ref MemoryMarshal.GetReference(denominator);
        ref var or = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref nr, i) / Vector512.Sqrt(Vector512.LoadUnsafe(ref dr, i))).StoreUnsafe(ref or, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref nr, i) / Vector256.Sqrt(Vector256.LoadUnsafe(ref dr, i))).StoreUnsafe(ref or, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            for (; (int)i <= n - Vector128<float>.Count; i += (nuint)Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref nr, i) / Vector128.Sqrt(Vector128.LoadUnsafe(ref dr, i))).StoreUnsafe(ref or, i);
            }
        }

        for (; (int)i < n; i++)
        {
            Unsafe.Add(ref or, i) = Unsafe.Add(ref nr, i) / MathF.Sqrt(Unsafe.Add(ref dr, i));
        }
    }

    /// <summary>The scalar reference of <see cref="DivideBySquareRoot"/>.</summary>
    public static void DivideBySquareRootScalar(ReadOnlySpan<float> numerator, ReadOnlySpan<float> denominator, Span<float> destination)
    {
        CheckDivide(numerator, denominator, destination);
        for (var i = 0; i < numerator.Length; i++)
        {
            destination[i] = numerator[i] / MathF.Sqrt(denominator[i]);
        }
    }

    private static void CheckDivide(ReadOnlySpan<float> numerator, ReadOnlySpan<float> denominator, Span<float> destination)
    {
        if (denominator.Length != numerator.Length || destination.Length != numerator.Length)
        {
            throw new ArgumentException($"Input lengths differ: {numerator.Length}, {denominator.Length} and {destination.Length}.");
        }
    }
}

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// Moving sum over <paramref name="width"/> samples: <c>destination[i] = source[i] + source[i+1] + ... + source[i+width-1]</c>
    /// for <c>i</c> in <c>[0, source.Length - width]</c>. The caller keeps <c>width - 1</c> samples of history in front of a
    /// block to make the sum continuous across blocks. Every form adds in the same order (left to right), so the
    /// vector result equals the scalar reference exactly.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is too short, or width is below 1.</exception>
    public static void BoxSum(ReadOnlySpan<float> source, int width, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var n = source.Length - width + 1;
        if (n <= 0)
        {
            return;
        }

        if (destination.Length < n)
        {
            throw new ArgumentException($"Destination ({destination.Length}) is shorter than the output ({n}).", nameof(destination));
        }

        ref var sr = ref MemoryMarshal.GetReference(source);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var last = n - Vector512<float>.Count;
            for (nuint i = 0; (int)i < last; i += (nuint)Vector512<float>.Count)
            {
                BoxSum512(ref sr, i, width).StoreUnsafe(ref dr, i);
            }

            BoxSum512(ref sr, (nuint)last, width).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var last = n - Vector256<float>.Count;
            for (nuint i = 0; (int)i < last; i += (nuint)Vector256<float>.Count)
            {
                BoxSum256(ref sr, i, width).StoreUnsafe(ref dr, i);
            }

            BoxSum256(ref sr, (nuint)last, width).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        BoxSumScalar(source, width, destination);
    }

    /// <summary>The scalar reference of <see cref="BoxSum"/>.</summary>
    public static void BoxSumScalar(ReadOnlySpan<float> source, int width, Span<float> destination)
    {
        for (var i = 0; i + width <= source.Length; i++)
        {
            var sum = source[i];
            for (var k = 1; k < width; k++)
            {
                sum += source[i + k];
            }

            destination[i] = sum;
        }
    }

    private static Vector512<float> BoxSum512(ref float source, nuint i, int width)
    {
        var sum = Vector512.LoadUnsafe(ref source, i);
        for (var k = 1; k < width; k++)
        {
            sum += Vector512.LoadUnsafe(ref source, i + (nuint)k);
        }

        return sum;
    }

    private static Vector256<float> BoxSum256(ref float source, nuint i, int width)
    {
        var sum = Vector256.LoadUnsafe(ref source, i);
        for (var k = 1; k < width; k++)
        {
            sum += Vector256.LoadUnsafe(ref source, i + (nuint)k);
        }

        return sum;
    }
}

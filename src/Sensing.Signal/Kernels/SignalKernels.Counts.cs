using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary><c>destination[i] = source[i] * scale</c>: raw int16 sensor counts to g (scale = 1 / counts-per-g).</summary>
    /// <exception cref="ArgumentException">The destination is shorter than the source.</exception>
    public static void CountsToG(ReadOnlySpan<short> source, float scale, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination ({destination.Length}) is shorter than the input ({source.Length}).", nameof(destination));
        }

        var n = source.Length;
        ref var sr = ref MemoryMarshal.GetReference(source);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s = Vector512.Create(scale);
            var last = n - 16;
            for (nuint i = 0; (int)i < last; i += 16)
            {
                (Widen512(ref sr, i) * s).StoreUnsafe(ref dr, i);
            }

            (Widen512(ref sr, (nuint)last) * s).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s = Vector256.Create(scale);
            var last = n - 8;
            for (nuint i = 0; (int)i < last; i += 8)
            {
                (Widen256(ref sr, i) * s).StoreUnsafe(ref dr, i);
            }

            (Widen256(ref sr, (nuint)last) * s).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        CountsToGScalar(source, scale, destination);
    }

    /// <summary>The scalar reference of <see cref="CountsToG"/>.</summary>
    public static void CountsToGScalar(ReadOnlySpan<short> source, float scale, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * scale;
        }
    }

    // int16 counts to float: the lower half of a wider register, sign-extended, then converted.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen512(ref short source, nuint i)
        => Vector512.ConvertToSingle(Vector512.WidenLower(Vector256.LoadUnsafe(ref source, i).ToVector512Unsafe()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen256(ref short source, nuint i)
        => Vector256.ConvertToSingle(Vector256.WidenLower(Vector128.LoadUnsafe(ref source, i).ToVector256Unsafe()));
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>destination[i] = sqrt(x[i]² + y[i]² + z[i]²) * scale</c> for raw int16 sensor counts: the conversion and the
    /// magnitude in one pass, so the counts are read from memory once. Each form converts to float, squares and sums
    /// in the same order, then multiplies by <paramref name="scale"/> (counts to g) after the square root.
    /// </summary>
    /// <exception cref="ArgumentException">Input lengths differ, or the destination is shorter than the input.</exception>
    public static void MagnitudeOfCounts(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, float scale, Span<float> destination)
    {
        if (x.Length != y.Length || x.Length != z.Length)
        {
            throw new ArgumentException($"Input lengths differ: x {x.Length}, y {y.Length}, z {z.Length}.");
        }

        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Destination ({destination.Length}) is shorter than the input ({x.Length}).", nameof(destination));
        }

        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var zr = ref MemoryMarshal.GetReference(z);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        const int Lanes = 16; // one Vector256<short> widens to one Vector512<int>

        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated && n >= Lanes)
        {
            var s = Vector512.Create(scale);
            var last = n - Lanes;
            for (nuint i = 0; (int)i < last; i += Lanes)
            {
                Magnitude512(ref xr, ref yr, ref zr, i, s).StoreUnsafe(ref dr, i);
            }

            Magnitude512(ref xr, ref yr, ref zr, (nuint)last, s).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s = Vector256.Create(scale);
            var last = n - 8;
            for (nuint i = 0; (int)i < last; i += 8)
            {
                Magnitude256(ref xr, ref yr, ref zr, i, s).StoreUnsafe(ref dr, i);
            }

            Magnitude256(ref xr, ref yr, ref zr, (nuint)last, s).StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        MagnitudeOfCountsScalar(x, y, z, scale, destination);
    }

    /// <summary>The scalar reference of <see cref="MagnitudeOfCounts"/>.</summary>
    public static void MagnitudeOfCountsScalar(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, float scale, Span<float> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = MagnitudeOperator.Invoke(x[i], y[i], z[i]) * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Magnitude512(ref short x, ref short y, ref short z, nuint i, Vector512<float> scale)
        => MagnitudeOperator.Invoke(Widen512(ref x, i), Widen512(ref y, i), Widen512(ref z, i)) * scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Magnitude256(ref short x, ref short y, ref short z, nuint i, Vector256<float> scale)
        => MagnitudeOperator.Invoke(Widen256(ref x, i), Widen256(ref y, i), Widen256(ref z, i)) * scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen512(ref short source, nuint i)
        => Vector512.ConvertToSingle(Vector512.WidenLower(Vector256.LoadUnsafe(ref source, i).ToVector512Unsafe()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen256(ref short source, nuint i)
        => Vector256.ConvertToSingle(Vector256.WidenLower(Vector128.LoadUnsafe(ref source, i).ToVector256Unsafe()));
}

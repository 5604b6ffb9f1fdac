using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>Loops, dispatch and tail handling for element-wise maps of three axes into one destination.</summary>
/// <remarks>
/// Tail policy: the last full vector is recomputed so that it ends at the span's end (the map is pure, so
/// overlapping lanes are written twice with the same value). The destination must not overlap the inputs and is
/// validated before any vector work.
/// </remarks>
internal static class TernaryMapDriver
{
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination, TOp op)
        where TOp : struct, ITernaryMapOperator
    {
        var n = x.Length;
        if (y.Length != n || z.Length != n)
        {
            ThrowLengthMismatch();
        }

        if (destination.Length < n)
        {
            ThrowDestinationTooShort();
        }

        if (destination.Overlaps(x) || destination.Overlaps(y) || destination.Overlaps(z))
        {
            ThrowOverlap();
        }

        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        ref var zs = ref MemoryMarshal.GetReference(z);
        ref var d = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            for (var i = 0; ; i += Vector512<float>.Count)
            {
                var at = (nuint)Math.Min(i, n - Vector512<float>.Count);
                op.Invoke(Vector512.LoadUnsafe(ref xs, at), Vector512.LoadUnsafe(ref ys, at), Vector512.LoadUnsafe(ref zs, at)).StoreUnsafe(ref d, at);
                if ((int)at == n - Vector512<float>.Count)
                {
                    return;
                }
            }
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            for (var i = 0; ; i += Vector256<float>.Count)
            {
                var at = (nuint)Math.Min(i, n - Vector256<float>.Count);
                op.Invoke(Vector256.LoadUnsafe(ref xs, at), Vector256.LoadUnsafe(ref ys, at), Vector256.LoadUnsafe(ref zs, at)).StoreUnsafe(ref d, at);
                if ((int)at == n - Vector256<float>.Count)
                {
                    return;
                }
            }
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            for (var i = 0; ; i += Vector128<float>.Count)
            {
                var at = (nuint)Math.Min(i, n - Vector128<float>.Count);
                op.Invoke(Vector128.LoadUnsafe(ref xs, at), Vector128.LoadUnsafe(ref ys, at), Vector128.LoadUnsafe(ref zs, at)).StoreUnsafe(ref d, at);
                if ((int)at == n - Vector128<float>.Count)
                {
                    return;
                }
            }
        }

        MapScalar(x, y, z, destination, op);
    }

    /// <summary>The scalar reference.</summary>
    public static void MapScalar<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination, TOp op)
        where TOp : struct, ITernaryMapOperator
    {
        if (y.Length != x.Length || z.Length != x.Length)
        {
            ThrowLengthMismatch();
        }

        if (destination.Length < x.Length)
        {
            ThrowDestinationTooShort();
        }

        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = op.Invoke(x[i], y[i], z[i]);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() => throw new ArgumentException("The three axes must have the same length.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() => throw new ArgumentException("The destination is shorter than the input.", "destination");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap() => throw new ArgumentException("The destination overlaps an input.", "destination");
}

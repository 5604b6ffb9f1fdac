using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>Loops, dispatch and tail handling for in-place element-wise updates of an accumulator span.</summary>
/// <remarks>
/// Tail policy: whole vectors first (widest supported width), then a scalar tail. Unlike a pure map the update is
/// not idempotent, so the overlapping re-read of the last full vector used by <see cref="TernaryMapDriver"/> would
/// apply it twice. Each element is updated exactly once by the same operation as the scalar reference, so the
/// results are bit-identical to it.
/// </remarks>
internal static class AccumulateDriver
{
    public static void Accumulate<TOp>(ReadOnlySpan<float> x, Span<float> accumulator, TOp op)
        where TOp : struct, IBinaryOperator
    {
        var n = x.Length;
        if (accumulator.Length < n)
        {
            ThrowDestinationTooShort();
        }

        if (accumulator.Overlaps(x))
        {
            ThrowOverlap();
        }

        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Transform(Vector512.LoadUnsafe(ref acc, (nuint)i), Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref acc, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Transform(Vector256.LoadUnsafe(ref acc, (nuint)i), Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref acc, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Transform(Vector128.LoadUnsafe(ref acc, (nuint)i), Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref acc, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref acc, i) = op.Transform(Unsafe.Add(ref acc, i), Unsafe.Add(ref xs, i));
        }
    }

    /// <summary>The scalar reference.</summary>
    public static void AccumulateScalar<TOp>(ReadOnlySpan<float> x, Span<float> accumulator, TOp op)
        where TOp : struct, IBinaryOperator
    {
        if (accumulator.Length < x.Length)
        {
            ThrowDestinationTooShort();
        }

        for (var i = 0; i < x.Length; i++)
        {
            accumulator[i] = op.Transform(accumulator[i], x[i]);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() => throw new ArgumentException("The accumulator is shorter than the input.", "accumulator");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap() => throw new ArgumentException("The accumulator overlaps the input.", "accumulator");
}

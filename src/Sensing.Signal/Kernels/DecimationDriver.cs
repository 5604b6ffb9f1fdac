using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

/// <summary>Loops and dispatch for <see cref="PairSumOperator"/> and the group sums built from it.</summary>
/// <remarks>
/// Tail policy: the pairs left after the last full vector are summed by the scalar form (bit-identical), not by
/// an overlapping vector, because the kernel may run in place (destination starting where the source starts).
/// </remarks>
internal static class DecimationDriver
{
    /// <summary>Writes <c>source.Length / 2</c> pair sums; an odd last element is ignored. In place is allowed when both start at the same element.</summary>
    public static void PairSums(ReadOnlySpan<float> source, Span<float> destination, bool allowVectors = true)
    {
        var n = source.Length / 2;
        if (destination.Length < n)
        {
            ThrowDestinationTooShort();
        }

        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        if (destination.Overlaps(source, out var offset) && offset != 0)
        {
            ThrowOverlap();
        }

        var j = 0;
        if (allowVectors && PairSumOperator.Vector512Supported)
        {
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var at = (nuint)(2 * j);
                PairSumOperator.Invoke(Vector512.LoadUnsafe(ref src, at), Vector512.LoadUnsafe(ref src, at + 16)).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        if (allowVectors && PairSumOperator.Vector256Supported)
        {
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var at = (nuint)(2 * j);
                PairSumOperator.Invoke(Vector256.LoadUnsafe(ref src, at), Vector256.LoadUnsafe(ref src, at + 8)).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        if (allowVectors && PairSumOperator.Vector128Supported)
        {
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var at = (nuint)(2 * j);
                PairSumOperator.Invoke(Vector128.LoadUnsafe(ref src, at), Vector128.LoadUnsafe(ref src, at + 4)).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref dst, j) = PairSumOperator.Invoke(Unsafe.Add(ref src, 2 * j), Unsafe.Add(ref src, (2 * j) + 1));
        }
    }

    /// <summary>
    /// Sums of consecutive groups of <paramref name="groupSize"/> samples (a power of two, 1..64), summed as a pairwise tree.
    /// <paramref name="scratch"/> needs <c>source.Length / 2</c> elements when the group size is above 2.
    /// </summary>
    /// <returns>The number of group sums written (<c>source.Length / groupSize</c>).</returns>
    public static int GroupSums(ReadOnlySpan<float> source, int groupSize, Span<float> destination, Span<float> scratch, bool allowVectors = true)
    {
        if (groupSize < 1 || groupSize > 64 || (groupSize & (groupSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The group size must be a power of two from 1 to 64.");
        }

        var groups = source.Length / groupSize;
        if (destination.Length < groups)
        {
            ThrowDestinationTooShort();
        }

        source = source[..(groups * groupSize)];
        if (groupSize == 1)
        {
            source.CopyTo(destination);
            return groups;
        }

        if (groupSize == 2)
        {
            PairSums(source, destination, allowVectors);
            return groups;
        }

        var done = 0;
        if (groupSize == 8 && allowVectors)
        {
            // The common case (100 Hz input): all three levels in registers, one pass over the source.
            done = GroupSumsOf8(source, destination);
            if (done == groups)
            {
                return groups;
            }

            source = source[(done * 8)..];
            destination = destination[done..];
        }

        var length = source.Length / 2;
        PairSums(source, scratch[..length], allowVectors);
        for (var size = 4; size < groupSize; size *= 2)
        {
            PairSums(scratch[..length], scratch, allowVectors);
            length /= 2;
        }

        PairSums(scratch[..length], destination, allowVectors);
        return groups;
    }

    /// <summary>
    /// Sums of groups of 8 by the same pairwise tree as <see cref="PairSums"/> applied three times (hence bit-identical
    /// to it), for as many whole vector blocks as fit; returns the number of groups written. The rest is left to the caller.
    /// </summary>
    private static int GroupSumsOf8(ReadOnlySpan<float> source, Span<float> destination)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var groups = source.Length / 8;
        var j = 0;
        if (PairSumOperator.Vector512Supported)
        {
            for (; j <= groups - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var at = (nuint)(8 * j);
                var p0 = PairSumOperator.Invoke(Vector512.LoadUnsafe(ref src, at), Vector512.LoadUnsafe(ref src, at + 16));
                var p1 = PairSumOperator.Invoke(Vector512.LoadUnsafe(ref src, at + 32), Vector512.LoadUnsafe(ref src, at + 48));
                var p2 = PairSumOperator.Invoke(Vector512.LoadUnsafe(ref src, at + 64), Vector512.LoadUnsafe(ref src, at + 80));
                var p3 = PairSumOperator.Invoke(Vector512.LoadUnsafe(ref src, at + 96), Vector512.LoadUnsafe(ref src, at + 112));
                var q0 = PairSumOperator.Invoke(p0, p1);
                var q1 = PairSumOperator.Invoke(p2, p3);
                PairSumOperator.Invoke(q0, q1).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        if (PairSumOperator.Vector256Supported)
        {
            for (; j <= groups - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var at = (nuint)(8 * j);
                var p0 = PairSumOperator.Invoke(Vector256.LoadUnsafe(ref src, at), Vector256.LoadUnsafe(ref src, at + 8));
                var p1 = PairSumOperator.Invoke(Vector256.LoadUnsafe(ref src, at + 16), Vector256.LoadUnsafe(ref src, at + 24));
                var p2 = PairSumOperator.Invoke(Vector256.LoadUnsafe(ref src, at + 32), Vector256.LoadUnsafe(ref src, at + 40));
                var p3 = PairSumOperator.Invoke(Vector256.LoadUnsafe(ref src, at + 48), Vector256.LoadUnsafe(ref src, at + 56));
                var q0 = PairSumOperator.Invoke(p0, p1);
                var q1 = PairSumOperator.Invoke(p2, p3);
                PairSumOperator.Invoke(q0, q1).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() => throw new ArgumentException("The destination is too short for the sums.", "destination");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap() => throw new ArgumentException("The destination overlaps the source other than in place.", "destination");
}

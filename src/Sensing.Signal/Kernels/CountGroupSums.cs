using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Signal.Kernels;

/// <summary>
/// Sums of consecutive groups of G raw int16 sensor counts (G a power of two, 1..64), as int32: the decimation of a
/// wristband's frames straight from its counts, with no conversion to g per sample.
/// </summary>
/// <remarks>
/// <para>Integer sums are exact whatever the order, so every vector width equals the scalar reference bit for bit, and
/// a group split across two blocks sums to the same value. The first level is one multiply-add of adjacent pairs by 1
/// (<c>pmaddwd</c>); each further level adds neighbouring int32 pairs across two registers, all in registers.</para>
/// <para>A group of up to 64 counts of at most 2^15 in size sums to at most 2^21, well inside an int32 and exactly
/// representable as a float, which is what lets the grid turn a sum into g once per group.</para>
/// </remarks>
internal static class CountGroupSums
{
    private const int MaxGroup = 64;

    /// <summary>Writes <c>source.Length / groupSize</c> sums; counts after the last whole group are ignored.</summary>
    /// <returns>The number of sums written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The group size is not a power of two from 1 to 64.</exception>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    public static int Sum(ReadOnlySpan<short> source, int groupSize, Span<int> destination)
    {
        var groups = Validate(source, groupSize, destination);
        var done = 0;
        var width = KernelDriver.MaxWidth;
        if (width >= KernelWidth.V512 && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
        {
            done = Sum512(source, groupSize, destination, groups);
        }
        else if (width >= KernelWidth.V256 && Avx2.IsSupported)
        {
            done = Sum256(source, groupSize, destination, groups);
        }
        else if (width >= KernelWidth.V128 && Ssse3.IsSupported)
        {
            done = Sum128(source, groupSize, destination, groups);
        }

        SumScalar(source[(done * groupSize)..], groupSize, destination[done..]);
        return groups;
    }

    /// <summary>
    /// <see cref="Sum(ReadOnlySpan{short}, int, Span{int})"/> of three channels of the same length in one pass: their
    /// three memory streams are read at once, where one channel after another waits on each stream's own latency (the
    /// counts of a day's buffer come from memory, not cache). The same sums, bit for bit.
    /// </summary>
    /// <returns>The number of sums written to each destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The group size is not a power of two from 1 to 64.</exception>
    /// <exception cref="ArgumentException">The channels' lengths differ, or a destination is too short.</exception>
    public static int Sum(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, int groupSize, Span<int> sumX, Span<int> sumY, Span<int> sumZ)
    {
        if (y.Length != x.Length || z.Length != x.Length)
        {
            throw new ArgumentException($"The channels' lengths differ ({x.Length}, {y.Length}, {z.Length}).", nameof(y));
        }

        var groups = Validate(x, groupSize, sumX);
        Validate(y, groupSize, sumY);
        Validate(z, groupSize, sumZ);
        var done = 0;
        var width = KernelDriver.MaxWidth;
        if (groupSize is >= 2 and <= 8)
        {
            if (width >= KernelWidth.V512 && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
            {
                done = SumChannels512(x, y, z, groupSize, sumX, sumY, sumZ, groups);
            }
            else if (width >= KernelWidth.V256 && Avx2.IsSupported)
            {
                done = SumChannels256(x, y, z, groupSize, sumX, sumY, sumZ, groups);
            }
        }

        // What the three-channel loop left (all of it for other group sizes), one channel at a time.
        var from = done * groupSize;
        Sum(x[from..], groupSize, sumX[done..]);
        Sum(y[from..], groupSize, sumY[done..]);
        Sum(z[from..], groupSize, sumZ[done..]);
        return groups;
    }

    /// <summary>The scalar reference of <see cref="Sum(ReadOnlySpan{short}, int, Span{int})"/>.</summary>
    public static int SumScalar(ReadOnlySpan<short> source, int groupSize, Span<int> destination)
    {
        var groups = Validate(source, groupSize, destination);
        for (var j = 0; j < groups; j++)
        {
            var sum = 0;
            foreach (var count in source.Slice(j * groupSize, groupSize))
            {
                sum += count;
            }

            destination[j] = sum;
        }

        return groups;
    }

    private static int Validate(ReadOnlySpan<short> source, int groupSize, Span<int> destination)
    {
        if (groupSize < 1 || groupSize > MaxGroup || (groupSize & (groupSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The group size must be a power of two from 1 to 64.");
        }

        var groups = source.Length / groupSize;
        if (destination.Length < groups)
        {
            throw new ArgumentException($"The destination ({destination.Length}) is too short for {groups} sums.", nameof(destination));
        }

        return groups;
    }

    // One output vector is the sums of 16 groups; its G/2 first-level vectors are reduced pairwise in place.
    private static int Sum512(ReadOnlySpan<short> source, int g, Span<int> destination, int groups)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        const int PerVector = 16;
        var j = 0;
        if (g == 1)
        {
            for (; j + PerVector <= groups; j += PerVector)
            {
                Vector512.WidenLower(Vector256.LoadUnsafe(ref src, (nuint)j).ToVector512Unsafe()).AsInt32().StoreUnsafe(ref dst, (nuint)j);
            }

            return j;
        }

        var ones = Vector512.Create((short)1);
        if (g <= 8)
        {
            // The common group sizes (25, 50, 100 Hz input) with every level in registers.
            for (; j + PerVector <= groups; j += PerVector)
            {
                Groups512(ref src, (nuint)(j * g), g, ones).StoreUnsafe(ref dst, (nuint)j);
            }

            return j;
        }

        Span<Vector512<int>> level = stackalloc Vector512<int>[MaxGroup / 2];
        for (; j + PerVector <= groups; j += PerVector)
        {
            var at = (nuint)(j * g);
            var count = g / 2;
            for (var k = 0; k < count; k++)
            {
                level[k] = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref src, at + (nuint)(32 * k)), ones);
            }

            for (; count > 1; count /= 2)
            {
                for (var k = 0; k < count / 2; k++)
                {
                    level[k] = PairSums512(level[2 * k], level[(2 * k) + 1]);
                }
            }

            level[0].StoreUnsafe(ref dst, (nuint)j);
        }

        return j;
    }

    private static int Sum256(ReadOnlySpan<short> source, int g, Span<int> destination, int groups)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        const int PerVector = 8;
        var j = 0;
        if (g == 1)
        {
            for (; j + PerVector <= groups; j += PerVector)
            {
                Vector256.WidenLower(Vector128.LoadUnsafe(ref src, (nuint)j).ToVector256Unsafe()).AsInt32().StoreUnsafe(ref dst, (nuint)j);
            }

            return j;
        }

        var ones = Vector256.Create((short)1);
        if (g <= 8)
        {
            for (; j + PerVector <= groups; j += PerVector)
            {
                Groups256(ref src, (nuint)(j * g), g, ones).StoreUnsafe(ref dst, (nuint)j);
            }

            return j;
        }

        Span<Vector256<int>> level = stackalloc Vector256<int>[MaxGroup / 2];
        for (; j + PerVector <= groups; j += PerVector)
        {
            var at = (nuint)(j * g);
            var count = g / 2;
            for (var k = 0; k < count; k++)
            {
                level[k] = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref src, at + (nuint)(16 * k)), ones);
            }

            for (; count > 1; count /= 2)
            {
                for (var k = 0; k < count / 2; k++)
                {
                    level[k] = PairSums256(level[2 * k], level[(2 * k) + 1]);
                }
            }

            level[0].StoreUnsafe(ref dst, (nuint)j);
        }

        return j;
    }

    private static int SumChannels512(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, int g, Span<int> sumX, Span<int> sumY, Span<int> sumZ, int groups)
    {
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        ref var rz = ref MemoryMarshal.GetReference(z);
        ref var dx = ref MemoryMarshal.GetReference(sumX);
        ref var dy = ref MemoryMarshal.GetReference(sumY);
        ref var dz = ref MemoryMarshal.GetReference(sumZ);
        const int PerVector = 16;
        var ones = Vector512.Create((short)1);
        var j = 0;
        for (; j + PerVector <= groups; j += PerVector)
        {
            var at = (nuint)(j * g);
            Groups512(ref rx, at, g, ones).StoreUnsafe(ref dx, (nuint)j);
            Groups512(ref ry, at, g, ones).StoreUnsafe(ref dy, (nuint)j);
            Groups512(ref rz, at, g, ones).StoreUnsafe(ref dz, (nuint)j);
        }

        return j;
    }

    private static int SumChannels256(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, int g, Span<int> sumX, Span<int> sumY, Span<int> sumZ, int groups)
    {
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        ref var rz = ref MemoryMarshal.GetReference(z);
        ref var dx = ref MemoryMarshal.GetReference(sumX);
        ref var dy = ref MemoryMarshal.GetReference(sumY);
        ref var dz = ref MemoryMarshal.GetReference(sumZ);
        const int PerVector = 8;
        var ones = Vector256.Create((short)1);
        var j = 0;
        for (; j + PerVector <= groups; j += PerVector)
        {
            var at = (nuint)(j * g);
            Groups256(ref rx, at, g, ones).StoreUnsafe(ref dx, (nuint)j);
            Groups256(ref ry, at, g, ones).StoreUnsafe(ref dy, (nuint)j);
            Groups256(ref rz, at, g, ones).StoreUnsafe(ref dz, (nuint)j);
        }

        return j;
    }

    private static int Sum128(ReadOnlySpan<short> source, int g, Span<int> destination, int groups)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        const int PerVector = 4;
        var j = 0;
        if (g == 1)
        {
            for (; j + PerVector <= groups; j += PerVector)
            {
                Vector128.WidenLower(Vector128.LoadUnsafe(ref src, (nuint)j)).AsInt32().StoreUnsafe(ref dst, (nuint)j);
            }

            return j;
        }

        var ones = Vector128.Create((short)1);
        Span<Vector128<int>> level = stackalloc Vector128<int>[MaxGroup / 2];
        for (; j + PerVector <= groups; j += PerVector)
        {
            var at = (nuint)(j * g);
            var count = g / 2;
            for (var k = 0; k < count; k++)
            {
                level[k] = Sse2.MultiplyAddAdjacent(Vector128.LoadUnsafe(ref src, at + (nuint)(8 * k)), ones);
            }

            for (; count > 1; count /= 2)
            {
                for (var k = 0; k < count / 2; k++)
                {
                    level[k] = Ssse3.HorizontalAdd(level[2 * k], level[(2 * k) + 1]);
                }
            }

            level[0].StoreUnsafe(ref dst, (nuint)j);
        }

        return j;
    }

    // The sums of the 16 groups of 2, 4 or 8 counts from src[at] on: every level in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Groups512(ref short src, nuint at, int g, Vector512<short> ones)
    {
        var sums = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref src, at), ones);
        if (g >= 4)
        {
            var upper = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref src, at + 32), ones);
            sums = PairSums512(sums, upper);
            if (g == 8)
            {
                var third = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref src, at + 64), ones);
                var fourth = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref src, at + 96), ones);
                sums = PairSums512(sums, PairSums512(third, fourth));
            }
        }

        return sums;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Groups256(ref short src, nuint at, int g, Vector256<short> ones)
    {
        var sums = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref src, at), ones);
        if (g >= 4)
        {
            var upper = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref src, at + 16), ones);
            sums = PairSums256(sums, upper);
            if (g == 8)
            {
                var third = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref src, at + 32), ones);
                var fourth = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref src, at + 48), ones);
                sums = PairSums256(sums, PairSums256(third, fourth));
            }
        }

        return sums;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> PairSums512(Vector512<int> lower, Vector512<int> upper)
        => Avx512F.PermuteVar16x32x2(lower, PairSumOperator.EvenIndices, upper) + Avx512F.PermuteVar16x32x2(lower, PairSumOperator.OddIndices, upper);

    // phaddd works within 128-bit lanes, which leaves the pairs as [0 1 4 5 | 2 3 6 7] (in 64-bit units); one permute restores order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PairSums256(Vector256<int> lower, Vector256<int> upper)
        => Avx2.Permute4x64(Avx2.HorizontalAdd(lower, upper).AsInt64(), 0b11_01_10_00).AsInt32();
}

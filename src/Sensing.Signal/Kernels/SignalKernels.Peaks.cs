using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// Marks the peaks of a signal: bit j of <paramref name="mask"/> (word j / 64, bit j % 64) is set when
    /// <c>signal[j + k]</c> is above zero, above each of the k values before it and not below each of the k after it
    /// (a plateau's first sample is its peak), for j in <c>[0, signal.Length - 2k)</c>; the other bits are cleared.
    /// </summary>
    /// <remarks>Comparisons only, written as the negations of the scalar reference's rejections, so NaN behaves alike.</remarks>
    /// <exception cref="ArgumentException">The mask is too short.</exception>
    public static void PeakMask(ReadOnlySpan<float> signal, int halfWidth, Span<ulong> mask)
    {
        var positions = PeakPositions(signal, halfWidth, mask);
        ref var s = ref MemoryMarshal.GetReference(signal);
        var k = halfWidth;
        var j = 0;
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            for (; j <= positions - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var c = Vector512.LoadUnsafe(ref s, (nuint)(j + k));
                var rejected = Vector512.LessThanOrEqual(c, Vector512<float>.Zero);
                for (var i = 0; i < k; i++)
                {
                    rejected |= Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref s, (nuint)(j + i)), c)
                        | Vector512.GreaterThan(Vector512.LoadUnsafe(ref s, (nuint)(j + k + 1 + i)), c);
                }

                SetBits(mask, j, (~rejected).ExtractMostSignificantBits());
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            for (; j <= positions - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var c = Vector256.LoadUnsafe(ref s, (nuint)(j + k));
                var rejected = Vector256.LessThanOrEqual(c, Vector256<float>.Zero);
                for (var i = 0; i < k; i++)
                {
                    rejected |= Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s, (nuint)(j + i)), c)
                        | Vector256.GreaterThan(Vector256.LoadUnsafe(ref s, (nuint)(j + k + 1 + i)), c);
                }

                SetBits(mask, j, (~rejected).ExtractMostSignificantBits());
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            for (; j <= positions - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var c = Vector128.LoadUnsafe(ref s, (nuint)(j + k));
                var rejected = Vector128.LessThanOrEqual(c, Vector128<float>.Zero);
                for (var i = 0; i < k; i++)
                {
                    rejected |= Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref s, (nuint)(j + i)), c)
                        | Vector128.GreaterThan(Vector128.LoadUnsafe(ref s, (nuint)(j + k + 1 + i)), c);
                }

                SetBits(mask, j, (~rejected).ExtractMostSignificantBits());
            }
        }

        for (; j < positions; j++)
        {
            SetBits(mask, j, IsPeakScalar(signal.Slice(j, (2 * k) + 1), k) ? 1ul : 0ul);
        }
    }

    /// <summary>The scalar reference of <see cref="PeakMask"/>.</summary>
    public static void PeakMaskScalar(ReadOnlySpan<float> signal, int halfWidth, Span<ulong> mask)
    {
        var positions = PeakPositions(signal, halfWidth, mask);
        for (var j = 0; j < positions; j++)
        {
            SetBits(mask, j, IsPeakScalar(signal.Slice(j, (2 * halfWidth) + 1), halfWidth) ? 1ul : 0ul);
        }
    }

    /// <summary>Whether <c>window[k]</c> is a peak of the 2k+1 values of <paramref name="window"/> (see <see cref="PeakMask"/>).</summary>
    public static bool IsPeakScalar(ReadOnlySpan<float> window, int k)
    {
        var c = window[k];
        if (c <= 0)
        {
            return false;
        }

        for (var i = 0; i < k; i++)
        {
            if (window[i] >= c || window[k + 1 + i] > c)
            {
                return false;
            }
        }

        return true;
    }

    private static int PeakPositions(ReadOnlySpan<float> signal, int halfWidth, Span<ulong> mask)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(halfWidth, 1);
        var positions = Math.Max(0, signal.Length - (2 * halfWidth));
        var words = (positions + 63) / 64;
        if (mask.Length < words)
        {
            throw new ArgumentException($"The mask ({mask.Length} words) is too short for {positions} positions.", nameof(mask));
        }

        mask[..words].Clear();
        return positions;
    }

    // Bits of one vector (at most 16) at position j; a run never straddles a word, as j is a multiple of its width.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetBits(Span<ulong> mask, int j, ulong bits) => mask[j >> 6] |= bits << (j & 63);

    /// <summary>
    /// The first strong peak of a short curve, such as an autocorrelation by lag: the smallest i in [1, last] where
    /// <c>r[i]</c> is above <c>r[i - 1]</c>, not below <c>r[i + 1]</c>, and at least <paramref name="nearBest"/> times the
    /// largest of those local maxima; 0 when none of them is above 0.
    /// </summary>
    /// <remarks>
    /// The vector form has no branch that depends on the values (where a wrist's autocorrelation peaks changes from one
    /// second to the next): the local maxima as a bit mask, their largest by a masked maximum, the first near it by a
    /// count of trailing zeros. Called in a loop on a 32-lag curve: 18 ns a call, 22.5 ns with IEEE maxima (see
    /// below). In place in the step counter, that IEEE form cost about 35 cycles a verdict against 55-60 for the
    /// scalar form's two branching loops.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="last"/> is outside [1, 64] or leaves no room for r[last + 1].</exception>
    public static int FirstStrongPeak(ReadOnlySpan<float> r, int last, float nearBest)
    {
        CheckPeakRange(r, last);
        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated && last >= Vector256<float>.Count)
        {
            return FirstStrongPeak256(r, last, nearBest);
        }

        return FirstStrongPeakScalar(r, last, nearBest);
    }

    /// <summary>The scalar reference of <see cref="FirstStrongPeak"/>.</summary>
    public static int FirstStrongPeakScalar(ReadOnlySpan<float> r, int last, float nearBest)
    {
        CheckPeakRange(r, last);
        float best = 0;
        for (var i = 1; i <= last; i++)
        {
            if (r[i] > r[i - 1] && r[i] >= r[i + 1])
            {
                best = Math.Max(best, r[i]);
            }
        }

        if (best <= 0)
        {
            return 0;
        }

        var threshold = nearBest * best;
        for (var i = 1; i <= last; i++)
        {
            if (r[i] > r[i - 1] && r[i] >= r[i + 1] && r[i] >= threshold)
            {
                return i;
            }
        }

        return 0;
    }

    // Vectors of 8 positions from 1 on, the last one moved back to end at `last` (positions seen twice give the same
    // bits and the same maximum). The maxima are the native instruction's, not IEEE's (three dependent instructions
    // per maximum on AVX-512): the lanes hold peaks, which are never NaN (a NaN fails the comparisons), or +0 where
    // there is none, so the two differ at most in the sign of a zero largest, which returns 0 either way.
    private static int FirstStrongPeak256(ReadOnlySpan<float> r, int last, float nearBest)
    {
        const int W = 8;
        ref var s = ref MemoryMarshal.GetReference(r);
        ulong peaks = 0;
        var best = Vector256<float>.Zero;
        for (var i = 1; ; i += W)
        {
            var at = Math.Min(i, last - W + 1);
            var c = Vector256.LoadUnsafe(ref s, (nuint)at);
            var peak = Vector256.GreaterThan(c, Vector256.LoadUnsafe(ref s, (nuint)(at - 1)))
                & Vector256.GreaterThanOrEqual(c, Vector256.LoadUnsafe(ref s, (nuint)(at + 1)));
            best = Vector256.MaxNative(best, c & peak);
            peaks |= (ulong)peak.ExtractMostSignificantBits() << (at - 1);
            if (at == last - W + 1)
            {
                break;
            }
        }

        var half = Vector128.MaxNative(best.GetLower(), best.GetUpper());
        half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        var largest = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2))).ToScalar();
        if (!(largest > 0))
        {
            return 0;
        }

        var threshold = Vector256.Create(nearBest * largest);
        ulong strong = 0;
        for (var i = 1; ; i += W)
        {
            var at = Math.Min(i, last - W + 1);
            strong |= (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s, (nuint)at), threshold).ExtractMostSignificantBits() << (at - 1);
            if (at == last - W + 1)
            {
                break;
            }
        }

        strong &= peaks;
        return strong == 0 ? 0 : BitOperations.TrailingZeroCount(strong) + 1;
    }

    private static void CheckPeakRange(ReadOnlySpan<float> r, int last)
    {
        if (last < 1 || last > 64 || last + 1 >= r.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"Positions 1..{last} with a neighbour after them do not fit a curve of {r.Length} values (at most 64 positions).");
        }
    }
}

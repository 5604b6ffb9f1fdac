using System.Numerics;
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

    /// <summary>
    /// <see cref="MultiplyAdd"/> of every sample from <paramref name="offset"/> on with the samples before it:
    /// for each i in [offset, source.Length) in turn, <c>accumulator[j] += source[i] * source[i - offset + j]</c>. The
    /// same operations in the same order per element as one <see cref="MultiplyAdd"/> call per sample (so the same
    /// bits), but each vector of the accumulator stays in a register across the samples.
    /// </summary>
    /// <exception cref="ArgumentException">A lagged sample would lie beyond the source.</exception>
    public static void MultiplyAddLagged(ReadOnlySpan<float> source, int offset, Span<float> accumulator)
    {
        CheckLagged(offset, accumulator.Length);
        var n = source.Length;
        var lags = accumulator.Length;
        ref var sr = ref MemoryMarshal.GetReference(source);
        ref var ar = ref MemoryMarshal.GetReference(accumulator);
        var j = 0;
        if (Vector.IsHardwareAccelerated && (int)KernelDriver.MaxWidth >= Vector<float>.Count * 32)
        {
            // Four vectors of lags at a time: four independent sums, so the adds do not wait on each other's latency.
            var w = Vector<float>.Count;
            for (; j <= lags - (4 * w); j += 4 * w)
            {
                var (at0, at1, at2, at3) = ((nuint)j, (nuint)(j + w), (nuint)(j + (2 * w)), (nuint)(j + (3 * w)));
                var (s0, s1, s2, s3) = (Vector.LoadUnsafe(ref ar, at0), Vector.LoadUnsafe(ref ar, at1), Vector.LoadUnsafe(ref ar, at2), Vector.LoadUnsafe(ref ar, at3));
                for (var i = offset; i < n; i++)
                {
                    var v = new Vector<float>(Unsafe.Add(ref sr, i));
                    var back = (nuint)(i - offset);
                    s0 += v * Vector.LoadUnsafe(ref sr, back + at0);
                    s1 += v * Vector.LoadUnsafe(ref sr, back + at1);
                    s2 += v * Vector.LoadUnsafe(ref sr, back + at2);
                    s3 += v * Vector.LoadUnsafe(ref sr, back + at3);
                }

                s0.StoreUnsafe(ref ar, at0);
                s1.StoreUnsafe(ref ar, at1);
                s2.StoreUnsafe(ref ar, at2);
                s3.StoreUnsafe(ref ar, at3);
            }

            for (; j <= lags - w; j += w)
            {
                var sum = Vector.LoadUnsafe(ref ar, (nuint)j);
                for (var i = offset; i < n; i++)
                {
                    sum += new Vector<float>(Unsafe.Add(ref sr, i)) * Vector.LoadUnsafe(ref sr, (nuint)(i - offset + j));
                }

                sum.StoreUnsafe(ref ar, (nuint)j);
            }
        }

        // The lags left after the last full vector (or all of them): one MultiplyAdd per sample, in time order.
        if (j < lags)
        {
            for (var i = offset; i < n; i++)
            {
                MultiplyAdd(source.Slice(i - offset + j, lags - j), source[i], accumulator[j..]);
            }
        }
    }

    /// <summary>The scalar reference of <see cref="MultiplyAddLagged"/>: one <see cref="MultiplyAddScalar"/> per sample.</summary>
    public static void MultiplyAddLaggedScalar(ReadOnlySpan<float> source, int offset, Span<float> accumulator)
    {
        CheckLagged(offset, accumulator.Length);
        for (var i = offset; i < source.Length; i++)
        {
            MultiplyAddScalar(source.Slice(i - offset, accumulator.Length), source[i], accumulator);
        }
    }

    /// <summary>
    /// One second replaces the oldest in a sliding sum: <c>accumulator[i] += (double)newest[i] - oldest[i]</c>, then
    /// <c>oldest[i] = newest[i]</c> and <c>newest[i] = 0</c>, in one pass. The float sum slides along in double and both
    /// floats widen exactly, so every width and the scalar reference give the same bits.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void ReplaceOldest(Span<float> newest, Span<float> oldest, Span<double> accumulator)
    {
        CheckDifference(newest, oldest, accumulator);
        var n = accumulator.Length;
        ref var ar = ref MemoryMarshal.GetReference(newest);
        ref var sr = ref MemoryMarshal.GetReference(oldest);
        ref var dr = ref MemoryMarshal.GetReference(accumulator);
        var i = 0;
        if (Vector.IsHardwareAccelerated && (int)KernelDriver.MaxWidth >= Vector<float>.Count * 32)
        {
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var add = Vector.LoadUnsafe(ref ar, (nuint)i);
                Vector.Widen(add, out var addLow, out var addHigh);
                Vector.Widen(Vector.LoadUnsafe(ref sr, (nuint)i), out var subtractLow, out var subtractHigh);
                var low = (nuint)i;
                var high = low + (nuint)Vector<double>.Count;
                (Vector.LoadUnsafe(ref dr, low) + (addLow - subtractLow)).StoreUnsafe(ref dr, low);
                (Vector.LoadUnsafe(ref dr, high) + (addHigh - subtractHigh)).StoreUnsafe(ref dr, high);
                add.StoreUnsafe(ref sr, (nuint)i);
                Vector<float>.Zero.StoreUnsafe(ref ar, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) += (double)Unsafe.Add(ref ar, i) - Unsafe.Add(ref sr, i);
            Unsafe.Add(ref sr, i) = Unsafe.Add(ref ar, i);
            Unsafe.Add(ref ar, i) = 0;
        }
    }

    /// <summary>The scalar reference of <see cref="ReplaceOldest"/>.</summary>
    public static void ReplaceOldestScalar(Span<float> newest, Span<float> oldest, Span<double> accumulator)
    {
        CheckDifference(newest, oldest, accumulator);
        for (var i = 0; i < accumulator.Length; i++)
        {
            accumulator[i] += (double)newest[i] - oldest[i];
            oldest[i] = newest[i];
            newest[i] = 0;
        }
    }

    private static void CheckDifference(ReadOnlySpan<float> newest, ReadOnlySpan<float> oldest, Span<double> accumulator)
    {
        if (newest.Length != accumulator.Length || oldest.Length != accumulator.Length)
        {
            throw new ArgumentException($"Input lengths differ: {newest.Length}, {oldest.Length} and {accumulator.Length}.");
        }
    }

    private static void CheckLagged(int offset, int lags)
    {
        if (offset < 0 || lags > offset + 1)
        {
            throw new ArgumentException($"{lags} lags do not fit behind an offset of {offset}.", "accumulator");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthsDiffer(int a, int b) => throw new ArgumentException($"Input lengths differ: {a} and {b}.");
}

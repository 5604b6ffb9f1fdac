using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features;

/// <summary>
/// The raw autocorrelation of a centred signal at a run of consecutive lags, all lags at once:
/// <c>sums[k] = sum over i of c[i] * c[i + fromLag + k]</c>. The step, stride and breathing features read their
/// lags from it.
/// </summary>
/// <remarks>
/// <para>Lag-major: a vector holds one sum per lag (lane j for lag <c>L0 + j</c>), and each sample i adds
/// <c>c[i]</c>, broadcast, times the one unaligned load <c>c[i + L0 .. i + L0 + width - 1]</c>. One sample then
/// serves a vector of lags, where a dot product per lag reads the signal once per lag and ends in a reduction across
/// lanes each time. Two blocks of lags share each broadcast.</para>
/// <para>Where a lane's lag runs past the signal's end it reads zeros: the signal comes followed by
/// <see cref="Padding"/> zeros, so the loop needs no per-lane bounds and a lag at or past the end sums to exactly 0
/// (as its autocorrelation is). A fused multiply-add with a zero leaves a finite sum unchanged.</para>
/// <para>Four accumulators per block (sample i goes to accumulator <c>i mod 4</c>) break the chain of dependent
/// additions; each is a chain of fused multiply-adds in sample order, and the sum is <c>(a0 + a1) + (a2 + a3)</c>.
/// <see cref="SumScalar"/> does exactly that lag by lag, so every path agrees with it bit for bit.</para>
/// </remarks>
internal static class LaggedProducts
{
    /// <summary>Zeros needed after the signal: two blocks of 16 lanes, plus the rounding of the sample loop to fours.</summary>
    public const int Padding = 48;

    /// <summary>Writes <c>signal - mean</c> into <paramref name="padded"/> and the <see cref="Padding"/> zeros after it.</summary>
    public static void Centre(ReadOnlySpan<float> signal, float mean, Span<float> padded)
    {
        if (padded.Length < signal.Length + Padding)
        {
            throw new ArgumentException($"A signal of {signal.Length} samples needs room for {signal.Length + Padding}; the span has {padded.Length}.", nameof(padded));
        }

        var i = 0;
        ref var from = ref MemoryMarshal.GetReference(signal);
        ref var to = ref MemoryMarshal.GetReference(padded);
        var centre = new Vector<float>(mean);
        for (; i <= signal.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref from, (nuint)i) - centre).StoreUnsafe(ref to, (nuint)i);
        }

        for (; i < signal.Length; i++)
        {
            Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i) - mean;
        }

        padded.Slice(signal.Length, Padding).Clear();
    }

    /// <summary>Sums at lags <c>fromLag .. fromLag + sums.Length - 1</c> of <c>padded[..length]</c>.</summary>
    /// <param name="padded">The centred signal, then at least <see cref="Padding"/> zeros.</param>
    /// <param name="length">Samples of signal at the start of <paramref name="padded"/>.</param>
    /// <param name="fromLag">The first lag, at least 0.</param>
    /// <param name="sums">One sum per lag.</param>
    public static void Sum(ReadOnlySpan<float> padded, int length, int fromLag, Span<float> sums) => Sum(padded, length, fromLag, sums, 512);

    /// <summary>
    /// <see cref="Sum(ReadOnlySpan{float}, int, int, Span{float})"/> with vectors of at most <paramref name="maxBits"/>
    /// (the tests' way to each path): 512 takes Vector512 where the machine has it, 128 or 256 <see cref="Vector{T}"/>
    /// (the widest up to 256 bits the machine has), 0 the scalar reference.
    /// </summary>
    internal static void Sum(ReadOnlySpan<float> padded, int length, int fromLag, Span<float> sums, int maxBits)
    {
        Validate(padded, length, fromLag);
        if (maxBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Blocks512(padded, length, fromLag, sums);
        }
        else if (maxBits >= 128 && Vector.IsHardwareAccelerated)
        {
            BlocksVector(padded, length, fromLag, sums);
        }
        else
        {
            SumScalar(padded, length, fromLag, sums);
        }
    }

    /// <summary>The scalar reference: lag by lag, the same four accumulators and the same order.</summary>
    public static void SumScalar(ReadOnlySpan<float> padded, int length, int fromLag, Span<float> sums)
    {
        Validate(padded, length, fromLag);
        for (var k = 0; k < sums.Length; k++)
        {
            var lag = fromLag + k;
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
            for (var i = 0; i < length - lag; i++)
            {
                var product = (a: padded[i], b: padded[i + lag]);
                switch (i & 3)
                {
                    case 0: a0 = MathF.FusedMultiplyAdd(product.a, product.b, a0); break;
                    case 1: a1 = MathF.FusedMultiplyAdd(product.a, product.b, a1); break;
                    case 2: a2 = MathF.FusedMultiplyAdd(product.a, product.b, a2); break;
                    default: a3 = MathF.FusedMultiplyAdd(product.a, product.b, a3); break;
                }
            }

            sums[k] = (a0 + a1) + (a2 + a3);
        }
    }

    private static void Validate(ReadOnlySpan<float> padded, int length, int fromLag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromLag);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (padded.Length < length + Padding)
        {
            throw new ArgumentException($"The signal of {length} samples needs {Padding} zeros after it ({length + Padding} in all); the span has {padded.Length}.", nameof(padded));
        }
    }

    // Blocks of 16 lags, two at a time sharing each sample's broadcast (an odd last block is paired with lags nobody
    // asked for: cheaper than a loop of its own, and a conditional pair in one loop makes the JIT spill it).
    private static void Blocks512(ReadOnlySpan<float> padded, int length, int fromLag, Span<float> sums)
    {
        ref var c = ref MemoryMarshal.GetReference(padded);
        const int W = 16;
        for (var k = 0; k < sums.Length; k += 2 * W)
        {
            var lag = fromLag + k;
            var count = RoundedCount(length, lag);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            ref var at = ref Unsafe.Add(ref c, lag);
            for (var i = 0; i < count; i += 4)
            {
                var (s0, s1, s2, s3) = (Vector512.Create(Unsafe.Add(ref c, i)), Vector512.Create(Unsafe.Add(ref c, i + 1)), Vector512.Create(Unsafe.Add(ref c, i + 2)), Vector512.Create(Unsafe.Add(ref c, i + 3)));
                a0 = Vector512.FusedMultiplyAdd(s0, Vector512.LoadUnsafe(ref at, (nuint)i), a0);
                a1 = Vector512.FusedMultiplyAdd(s1, Vector512.LoadUnsafe(ref at, (nuint)(i + 1)), a1);
                a2 = Vector512.FusedMultiplyAdd(s2, Vector512.LoadUnsafe(ref at, (nuint)(i + 2)), a2);
                a3 = Vector512.FusedMultiplyAdd(s3, Vector512.LoadUnsafe(ref at, (nuint)(i + 3)), a3);

                // The second block's lags run past the end sooner: its extra samples add zeros.
                b0 = Vector512.FusedMultiplyAdd(s0, Vector512.LoadUnsafe(ref at, (nuint)(i + W)), b0);
                b1 = Vector512.FusedMultiplyAdd(s1, Vector512.LoadUnsafe(ref at, (nuint)(i + 1 + W)), b1);
                b2 = Vector512.FusedMultiplyAdd(s2, Vector512.LoadUnsafe(ref at, (nuint)(i + 2 + W)), b2);
                b3 = Vector512.FusedMultiplyAdd(s3, Vector512.LoadUnsafe(ref at, (nuint)(i + 3 + W)), b3);
            }

            // Both sums made before the first store (a call): accumulators live across a call are spilled in the loop.
            var (first, second) = ((a0 + a1) + (a2 + a3), (b0 + b1) + (b2 + b3));
            Store(first, sums[k..]);
            if (k + W < sums.Length)
            {
                Store(second, sums[(k + W)..]);
            }
        }
    }

    // Blocks of Vector<float>.Count lags, one at a time: AVX2's 256 bits, or 128 on NEON and SSE.
    private static void BlocksVector(ReadOnlySpan<float> padded, int length, int fromLag, Span<float> sums)
    {
        ref var c = ref MemoryMarshal.GetReference(padded);
        for (var k = 0; k < sums.Length; k += Vector<float>.Count)
        {
            var lag = fromLag + k;
            var count = RoundedCount(length, lag);
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            ref var at = ref Unsafe.Add(ref c, lag);
            for (var i = 0; i < count; i += 4)
            {
                a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, i)), Vector.LoadUnsafe(ref at, (nuint)i), a0);
                a1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, i + 1)), Vector.LoadUnsafe(ref at, (nuint)(i + 1)), a1);
                a2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, i + 2)), Vector.LoadUnsafe(ref at, (nuint)(i + 2)), a2);
                a3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, i + 3)), Vector.LoadUnsafe(ref at, (nuint)(i + 3)), a3);
            }

            var block = (a0 + a1) + (a2 + a3);
            if (sums.Length - k >= Vector<float>.Count)
            {
                block.StoreUnsafe(ref MemoryMarshal.GetReference(sums), (nuint)k);
                continue;
            }

            for (var j = 0; k + j < sums.Length; j++)
            {
                sums[k + j] = block[j];
            }
        }
    }

    // A block's sums, as many lanes as there are lags left (the lanes past them summed lags nobody asked for).
    private static void Store(Vector512<float> block, Span<float> to)
    {
        if (to.Length >= Vector512<float>.Count)
        {
            block.StoreUnsafe(ref MemoryMarshal.GetReference(to));
            return;
        }

        for (var j = 0; j < to.Length; j++)
        {
            to[j] = block[j];
        }
    }

    // Samples with a partner at the block's first lag, rounded up to whole fours (the extra ones meet zeros).
    private static int RoundedCount(int length, int lag) => Math.Max(0, length - lag + 3) & ~3;
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Activity.Features;

/// <summary>
/// Power spectrum of a short real signal by an iterative radix-2 FFT of fixed size (a power of two), with a Hann
/// window and zero padding. Allocation-free after construction; not thread-safe (owns its work arrays).
/// </summary>
/// <remarks>
/// A hand-written FFT rather than MathNet's because the window is tiny (128 points) and runs once per 10 s window on
/// the hot path; MathNet's <c>Fourier.Forward</c> is the reference the tests compare it with.
/// </remarks>
internal sealed class PowerSpectrum
{
    private readonly int _size;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int[] _reverse;
    private readonly BitReversalNetwork? _reversal;
    private float[] _window = [];
    private readonly float[] _windowed;

    /// <param name="size">FFT size, a power of two from 4 to 4096.</param>
    public PowerSpectrum(int size)
    {
        if (size < 4 || size > 4096 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two from 4 to 4096.");
        }

        _size = size;
        _re = new float[size];
        _im = new float[size];
        _windowed = new float[size];
        (_cos, _sin, _reverse, _reversal) = Tables.For(size);
    }

    /// <summary>FFT size.</summary>
    public int Size => _size;

    /// <summary>Number of power bins written by <see cref="Compute"/>: size/2 + 1 (DC to Nyquist).</summary>
    public int Bins => (_size / 2) + 1;

    /// <summary>
    /// Writes |X[k]|^2 for k = 0..size/2 of <c>hann(signal - mean)</c>, zero padded to the FFT size.
    /// </summary>
    /// <param name="signal">Up to <see cref="Size"/> samples.</param>
    /// <param name="mean">Subtracted before windowing so DC leakage does not swamp low-frequency bins.</param>
    /// <param name="power">At least <see cref="Bins"/> elements.</param>
    public void Compute(ReadOnlySpan<float> signal, float mean, Span<float> power)
    {
        Validate(signal, power);
        Load(signal, mean, _re);
        Array.Clear(_im);
        Transform();
        for (var k = 0; k < Bins; k++)
        {
            power[k] = (_re[k] * _re[k]) + (_im[k] * _im[k]);
        }
    }

    /// <summary>
    /// The spectra of two real signals of equal length from one complex transform: <paramref name="a"/> goes in as
    /// the real part and <paramref name="b"/> as the imaginary part, and the two are separated by the symmetry of
    /// real signals' spectra (<c>A[k] = (Z[k] + conj Z[N-k]) / 2</c>, <c>B[k] = (Z[k] - conj Z[N-k]) / 2i</c>).
    /// Half the cost of two <see cref="Compute"/> calls; equal to them up to float rounding.
    /// </summary>
    public void ComputePair(ReadOnlySpan<float> a, float meanA, ReadOnlySpan<float> b, float meanB, Span<float> powerA, Span<float> powerB)
        => ComputePair(a, meanA, b, meanB, powerA, powerB, allowVectors: true);

    /// <summary><see cref="ComputePair(ReadOnlySpan{float}, float, ReadOnlySpan{float}, float, Span{float}, Span{float})"/>, with the vector butterflies optional (the tests' scalar reference).</summary>
    internal void ComputePair(ReadOnlySpan<float> a, float meanA, ReadOnlySpan<float> b, float meanB, Span<float> powerA, Span<float> powerB, bool allowVectors)
    {
        Validate(a, powerA);
        Validate(b, powerB);
        if (a.Length != b.Length)
        {
            throw new ArgumentException("The two signals of a pair must have the same length.", nameof(b));
        }

        Load(a, meanA, _re, allowVectors);
        Load(b, meanB, _im, allowVectors);
        Transform(allowVectors);
        var k = 0;
        if (allowVectors && Vector512.IsHardwareAccelerated && _size >= 32)
        {
            // Bins 1..size/2 sixteen at a time, with their mirrors N-k loaded as one vector and turned round: the
            // same operations per bin as the loop below.
            Separate(powerA, powerB, 0);
            ref var re = ref MemoryMarshal.GetArrayDataReference(_re);
            ref var im = ref MemoryMarshal.GetArrayDataReference(_im);
            ref var toA = ref MemoryMarshal.GetReference(powerA);
            ref var toB = ref MemoryMarshal.GetReference(powerB);
            var reversed = Vector512.Create(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
            var quarter = Vector512.Create(0.25f);
            for (k = 1; k + 16 <= Bins; k += 16)
            {
                var mirror = (nuint)(_size - k - 15);
                var (rk, ik) = (Vector512.LoadUnsafe(ref re, (nuint)k), Vector512.LoadUnsafe(ref im, (nuint)k));
                var rj = Vector512.Shuffle(Vector512.LoadUnsafe(ref re, mirror), reversed);
                var ij = Vector512.Shuffle(Vector512.LoadUnsafe(ref im, mirror), reversed);
                var (sr, si, dr, di) = (rk + rj, ik - ij, rk - rj, ik + ij);
                (quarter * ((sr * sr) + (si * si))).StoreUnsafe(ref toA, (nuint)k);
                (quarter * ((dr * dr) + (di * di))).StoreUnsafe(ref toB, (nuint)k);
            }
        }

        for (; k < Bins; k++)
        {
            Separate(powerA, powerB, k);
        }
    }

    // Bin k of the two real signals' spectra from the complex transform's bins k and N-k.
    private void Separate(Span<float> powerA, Span<float> powerB, int k)
    {
        var j = (_size - k) & (_size - 1);
        var sr = _re[k] + _re[j];
        var si = _im[k] - _im[j];
        var dr = _re[k] - _re[j];
        var di = _im[k] + _im[j];
        powerA[k] = 0.25f * ((sr * sr) + (si * si));
        powerB[k] = 0.25f * ((dr * dr) + (di * di));
    }

    private void Validate(ReadOnlySpan<float> signal, Span<float> power)
    {
        if (signal.Length > _size)
        {
            throw new ArgumentException($"The signal ({signal.Length} samples) is longer than the FFT size {_size}.", nameof(signal));
        }

        if (power.Length < Bins)
        {
            throw new ArgumentException($"The power span needs {Bins} elements.", nameof(power));
        }
    }

    /// <summary>Windowed, mean-removed, zero-padded signal in bit-reversed order.</summary>
    private void Load(ReadOnlySpan<float> signal, float mean, float[] destination, bool allowVectors = true)
    {
        if (_window.Length != signal.Length)
        {
            _window = HannWindow(signal.Length);
        }

        // Windowed in signal order (vectors), then permuted into bit-reversed order: by register permutes where AVX-512
        // is there (BitReversalNetwork), else by a pass over the destination (the stores in order, the reads from L1).
        var i = 0;
        ref var window = ref MemoryMarshal.GetArrayDataReference(_window);
        ref var from = ref MemoryMarshal.GetReference(signal);
        ref var temp = ref MemoryMarshal.GetArrayDataReference(_windowed);
        var centre = new Vector<float>(mean);
        for (; i <= signal.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            ((Vector.LoadUnsafe(ref from, (nuint)i) - centre) * Vector.LoadUnsafe(ref window, (nuint)i)).StoreUnsafe(ref temp, (nuint)i);
        }

        for (; i < signal.Length; i++)
        {
            Unsafe.Add(ref temp, i) = (Unsafe.Add(ref from, i) - mean) * Unsafe.Add(ref window, i);
        }

        _windowed.AsSpan(signal.Length).Clear();
        ref var to = ref MemoryMarshal.GetArrayDataReference(destination);
        if (allowVectors && _reversal is { } network)
        {
            network.Apply(ref temp, ref to);
            return;
        }

        ref var reverse = ref MemoryMarshal.GetArrayDataReference(_reverse);
        for (var j = 0; j < _size; j++)
        {
            Unsafe.Add(ref to, j) = Unsafe.Add(ref temp, Unsafe.Add(ref reverse, j));
        }
    }

    /// <summary>In-place iterative radix-2 butterflies over the bit-reversed input.</summary>
    /// <remarks>
    /// Stages whose half-size holds a whole vector run as vector butterflies (the same multiplications and additions
    /// per element as the scalar form, no fused multiply-add, so the result is bit-identical to it). The first stages,
    /// whose butterflies pair lanes of one vector, are one pass of permutes where AVX-512 is there, else scalar.
    /// <see cref="Vector{T}"/> rather than one path per width for the rest: it is the widest width up to 256 bits the
    /// machine has (AVX2, or 128-bit NEON/SSE), and 512 bits would cover only two of a 128-point transform's seven stages.
    /// </remarks>
    private void Transform(bool allowVectors = true)
    {
        ref var re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref var im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref var wi = ref MemoryMarshal.GetArrayDataReference(_sin);
        var first = allowVectors && Avx512F.IsSupported && Vector512.IsHardwareAccelerated && _size >= 16
            ? FirstThreeStages512(ref re, ref im, ref wr, ref wi)
            : FirstTwoStages(ref re, ref im);
        for (var half = first; half < _size; half *= 2)
        {
            if (allowVectors && Vector.IsHardwareAccelerated && half >= Vector<float>.Count)
            {
                for (var start = 0; start < _size; start += 2 * half)
                {
                    for (var k = 0; k < half; k += Vector<float>.Count)
                    {
                        var a = (nuint)(start + k);
                        var b = a + (nuint)half;
                        var (c, s) = (Vector.LoadUnsafe(ref wr, (nuint)(half + k)), Vector.LoadUnsafe(ref wi, (nuint)(half + k)));
                        var (rb, ib) = (Vector.LoadUnsafe(ref re, b), Vector.LoadUnsafe(ref im, b));
                        var (ra, ia) = (Vector.LoadUnsafe(ref re, a), Vector.LoadUnsafe(ref im, a));
                        var tr = (rb * c) - (ib * s);
                        var ti = (rb * s) + (ib * c);
                        (ra - tr).StoreUnsafe(ref re, b);
                        (ia - ti).StoreUnsafe(ref im, b);
                        (ra + tr).StoreUnsafe(ref re, a);
                        (ia + ti).StoreUnsafe(ref im, a);
                    }
                }
            }
            else
            {
                for (var start = 0; start < _size; start += 2 * half)
                {
                    for (var k = 0; k < half; k++)
                    {
                        var a = start + k;
                        var b = a + half;
                        var (c, s) = (Unsafe.Add(ref wr, half + k), Unsafe.Add(ref wi, half + k));
                        var (rb, ib) = (Unsafe.Add(ref re, b), Unsafe.Add(ref im, b));
                        var tr = (rb * c) - (ib * s);
                        var ti = (rb * s) + (ib * c);
                        Unsafe.Add(ref re, b) = Unsafe.Add(ref re, a) - tr;
                        Unsafe.Add(ref im, b) = Unsafe.Add(ref im, a) - ti;
                        Unsafe.Add(ref re, a) += tr;
                        Unsafe.Add(ref im, a) += ti;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The stages of half-size 1 and 2 as one radix-4 pass: their twiddles are 1 and -i, so each group of four is
    /// additions only (a quarter of the general butterflies' work, and exact where the general form multiplies by the
    /// float cosine of pi/2, 6e-17).
    /// </summary>
    /// <returns>The half-size of the first stage still to do.</returns>
    private int FirstTwoStages(ref float re, ref float im)
    {
        for (var p = 0; p < _size; p += 4)
        {
            var (r0, r1, r2, r3) = (Unsafe.Add(ref re, p), Unsafe.Add(ref re, p + 1), Unsafe.Add(ref re, p + 2), Unsafe.Add(ref re, p + 3));
            var (i0, i1, i2, i3) = (Unsafe.Add(ref im, p), Unsafe.Add(ref im, p + 1), Unsafe.Add(ref im, p + 2), Unsafe.Add(ref im, p + 3));

            // Half-size 1: pairs (0, 1) and (2, 3).
            var (ar0, ai0, ar1, ai1) = (r0 + r1, i0 + i1, r0 - r1, i0 - i1);
            var (ar2, ai2, ar3, ai3) = (r2 + r3, i2 + i3, r2 - r3, i2 - i3);

            // Half-size 2: (0, 2) with twiddle 1, (1, 3) with twiddle -i, which maps (r, i) to (i, -r).
            Unsafe.Add(ref re, p) = ar0 + ar2;
            Unsafe.Add(ref im, p) = ai0 + ai2;
            Unsafe.Add(ref re, p + 2) = ar0 - ar2;
            Unsafe.Add(ref im, p + 2) = ai0 - ai2;
            Unsafe.Add(ref re, p + 1) = ar1 + ai3;
            Unsafe.Add(ref im, p + 1) = ai1 - ar3;
            Unsafe.Add(ref re, p + 3) = ar1 - ai3;
            Unsafe.Add(ref im, p + 3) = ai1 + ar3;
        }

        return 4;
    }

    /// <summary>
    /// The stages of half-size 1, 2 and 4 in registers, sixteen points at a time. In lanes (0 1 2 3) of a group of
    /// four, the first stage is sums in the even lanes and differences in the odd ones, of each lane and its neighbour;
    /// the second pairs lanes (0 1) with (2 3), the real parts taking the imaginary parts of lane 3 (the -i twiddle)
    /// and the other way round, as <see cref="FirstTwoStages"/> does; the third is the general butterfly of lanes
    /// 0-3 against 4-7 of each group of eight. Each output is the same operation on the same two values as in the
    /// scalar form.
    /// </summary>
    /// <returns>8, the half-size of the first stage still to do (the transform has at least 16 points).</returns>
    private int FirstThreeStages512(ref float re, ref float im, ref float wr, ref float wi)
    {
        var neighbour = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        var even = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
        var front = Vector512.Create(0, 1, 0, 1, 4, 5, 4, 5, 8, 9, 8, 9, 12, 13, 12, 13);

        // Lanes 0 and 2 of a group take lane 2 of the same register, lanes 1 and 3 lane 3 of the other (index + 16).
        var back = Vector512.Create(2, 19, 2, 19, 6, 23, 6, 23, 10, 27, 10, 27, 14, 31, 14, 31);
        var firstHalf = Vector512.Create(-1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0).AsSingle();
        var outerLanes = Vector512.Create(-1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1).AsSingle();

        // Half-size 4: lanes 0-3 of a group of eight against 4-7, with the stage's twiddles (table entries 4-7).
        var upper = Vector512.Create(0, 1, 2, 3, 0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11);
        var lower = Vector512.Create(4, 5, 6, 7, 4, 5, 6, 7, 12, 13, 14, 15, 12, 13, 14, 15);
        var twiddle = Vector512.Create(4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7);
        var (c, s) = (Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref wr), twiddle), Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref wi), twiddle));
        var firstFour = Vector512.Create(-1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0).AsSingle();
        for (var p = 0; p + 16 <= _size; p += 16)
        {
            var (r, i) = (Vector512.LoadUnsafe(ref re, (nuint)p), Vector512.LoadUnsafe(ref im, (nuint)p));
            var (rn, inn) = (Avx512F.PermuteVar16x32(r, neighbour), Avx512F.PermuteVar16x32(i, neighbour));
            var ar = Vector512.ConditionalSelect(even, r + rn, rn - r);
            var ai = Vector512.ConditionalSelect(even, i + inn, inn - i);
            var (ur, vr) = (Avx512F.PermuteVar16x32(ar, front), Avx512F.PermuteVar16x32x2(ar, back, ai));
            var (ui, vi) = (Avx512F.PermuteVar16x32(ai, front), Avx512F.PermuteVar16x32x2(ai, back, ar));
            var br = Vector512.ConditionalSelect(firstHalf, ur + vr, ur - vr);
            var bi = Vector512.ConditionalSelect(outerLanes, ui + vi, ui - vi);

            var (ra, ia) = (Avx512F.PermuteVar16x32(br, upper), Avx512F.PermuteVar16x32(bi, upper));
            var (rb, ib) = (Avx512F.PermuteVar16x32(br, lower), Avx512F.PermuteVar16x32(bi, lower));
            var tr = (rb * c) - (ib * s);
            var ti = (rb * s) + (ib * c);
            Vector512.ConditionalSelect(firstFour, ra + tr, ra - tr).StoreUnsafe(ref re, (nuint)p);
            Vector512.ConditionalSelect(firstFour, ia + ti, ia - ti).StoreUnsafe(ref im, (nuint)p);
        }

        return 8;
    }

    /// <summary>
    /// Twiddles and the bit-reversal permutation, one immutable set per size shared by every instance: a worker holds
    /// one spectrum per wristband stream, and these tables would otherwise be most of its size.
    /// </summary>
    private static class Tables
    {
        private static readonly Dictionary<int, (float[] Cos, float[] Sin, int[] Reverse, BitReversalNetwork? Reversal)> BySize = [];

        public static (float[] Cos, float[] Sin, int[] Reverse, BitReversalNetwork? Reversal) For(int size)
        {
            lock (BySize)
            {
                if (!BySize.TryGetValue(size, out var tables))
                {
                    tables = Make(size);
                    BySize.Add(size, tables);
                }

                return tables;
            }
        }

        private static (float[] Cos, float[] Sin, int[] Reverse, BitReversalNetwork? Reversal) Make(int size)
        {
            // Twiddles stage by stage, contiguous: the stage of half-size h uses entries h..2h-1 (exp(-2 pi i k / 2h)),
            // so its butterflies read them as whole vectors.
            var cos = new float[size];
            var sin = new float[size];
            for (var half = 1; half < size; half *= 2)
            {
                for (var k = 0; k < half; k++)
                {
                    cos[half + k] = (float)Math.Cos(-Math.PI * k / half);
                    sin[half + k] = (float)Math.Sin(-Math.PI * k / half);
                }
            }

            var reverse = new int[size];
            var bits = BitOperations.Log2((uint)size);
            for (var i = 0; i < size; i++)
            {
                var r = 0;
                for (var b = 0; b < bits; b++)
                {
                    r |= ((i >> b) & 1) << (bits - 1 - b);
                }

                reverse[i] = r;
            }

            return (cos, sin, reverse, BitReversalNetwork.For(reverse));
        }
    }

    /// <summary>The window applied before the transform (symmetric Hann), exposed for the reference test.</summary>
    public static float[] HannWindow(int length)
    {
        var w = new float[length];
        for (var i = 0; i < length; i++)
        {
            w[i] = length == 1 ? 1f : (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (length - 1))));
        }

        return w;
    }
}

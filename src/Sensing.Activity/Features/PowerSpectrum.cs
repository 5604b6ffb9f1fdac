using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    private float[] _window = [];

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
        (_cos, _sin, _reverse) = Tables.For(size);
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

        Load(a, meanA, _re);
        Load(b, meanB, _im);
        Transform(allowVectors);
        for (var k = 0; k < Bins; k++)
        {
            var j = (_size - k) & (_size - 1);
            var sr = _re[k] + _re[j];
            var si = _im[k] - _im[j];
            var dr = _re[k] - _re[j];
            var di = _im[k] + _im[j];
            powerA[k] = 0.25f * ((sr * sr) + (si * si));
            powerB[k] = 0.25f * ((dr * dr) + (di * di));
        }
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
    private void Load(ReadOnlySpan<float> signal, float mean, float[] destination)
    {
        if (_window.Length != signal.Length)
        {
            _window = HannWindow(signal.Length);
        }

        // Unchecked: the window has the signal's length, and every bit-reversed index is below the size (Validate).
        Array.Clear(destination);
        ref var to = ref MemoryMarshal.GetArrayDataReference(destination);
        ref var reverse = ref MemoryMarshal.GetArrayDataReference(_reverse);
        ref var window = ref MemoryMarshal.GetArrayDataReference(_window);
        ref var from = ref MemoryMarshal.GetReference(signal);
        for (var i = 0; i < signal.Length; i++)
        {
            Unsafe.Add(ref to, Unsafe.Add(ref reverse, i)) = (Unsafe.Add(ref from, i) - mean) * Unsafe.Add(ref window, i);
        }
    }

    /// <summary>In-place iterative radix-2 butterflies over the bit-reversed input.</summary>
    /// <remarks>
    /// Stages whose half-size holds a whole vector run as vector butterflies (the same multiplications and additions
    /// per element as the scalar form, no fused multiply-add, so the result is bit-identical to it); the first stages
    /// are scalar. <see cref="Vector{T}"/> rather than one path per width: it is the widest width up to 256 bits the
    /// machine has (AVX2, or 128-bit NEON/SSE), and 512 bits would cover only two of a 128-point transform's seven stages.
    /// </remarks>
    private void Transform(bool allowVectors = true)
    {
        ref var re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref var im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref var wi = ref MemoryMarshal.GetArrayDataReference(_sin);
        FirstTwoStages(ref re, ref im);
        for (var half = 4; half < _size; half *= 2)
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
    private void FirstTwoStages(ref float re, ref float im)
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
    }

    /// <summary>
    /// Twiddles and the bit-reversal permutation, one immutable set per size shared by every instance: a worker holds
    /// one spectrum per wristband stream, and these tables would otherwise be most of its size.
    /// </summary>
    private static class Tables
    {
        private static readonly Dictionary<int, (float[] Cos, float[] Sin, int[] Reverse)> BySize = [];

        public static (float[] Cos, float[] Sin, int[] Reverse) For(int size)
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

        private static (float[] Cos, float[] Sin, int[] Reverse) Make(int size)
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

            return (cos, sin, reverse);
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

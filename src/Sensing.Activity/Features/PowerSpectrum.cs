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
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            _cos[k] = (float)Math.Cos(-2 * Math.PI * k / size);
            _sin[k] = (float)Math.Sin(-2 * Math.PI * k / size);
        }

        _reverse = new int[size];
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _reverse[i] = r;
        }
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
        if (signal.Length > _size)
        {
            throw new ArgumentException($"The signal ({signal.Length} samples) is longer than the FFT size {_size}.", nameof(signal));
        }

        if (power.Length < Bins)
        {
            throw new ArgumentException($"The power span needs {Bins} elements.", nameof(power));
        }

        if (_window.Length != signal.Length)
        {
            _window = HannWindow(signal.Length);
        }

        Array.Clear(_re);
        Array.Clear(_im);
        for (var i = 0; i < signal.Length; i++)
        {
            _re[_reverse[i]] = (signal[i] - mean) * _window[i];
        }

        for (var half = 1; half < _size; half *= 2)
        {
            var step = _size / (2 * half);
            for (var start = 0; start < _size; start += 2 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * step];
                    var wi = _sin[k * step];
                    var a = start + k;
                    var b = a + half;
                    var tr = (_re[b] * wr) - (_im[b] * wi);
                    var ti = (_re[b] * wi) + (_im[b] * wr);
                    _re[b] = _re[a] - tr;
                    _im[b] = _im[a] - ti;
                    _re[a] += tr;
                    _im[a] += ti;
                }
            }
        }

        for (var k = 0; k < Bins; k++)
        {
            power[k] = (_re[k] * _re[k]) + (_im[k] * _im[k]);
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

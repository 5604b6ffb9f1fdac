using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using Sensing.Activity.Features;

namespace Sensing.Activity.Tests.Features;

public class PowerSpectrumTests
{
    [Theory]
    [InlineData(128, 125)]
    [InlineData(64, 64)]
    [InlineData(16, 9)]
    public void Matches_MathNet_on_the_windowed_zero_padded_signal(int size, int length)
    {
        var random = new Random(size + length);
        var signal = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var mean = signal.Average();
        var spectrum = new PowerSpectrum(size);
        var power = new float[spectrum.Bins];
        spectrum.Compute(signal, mean, power);

        var window = PowerSpectrum.HannWindow(length);
        var reference = new Complex[size];
        for (var i = 0; i < length; i++)
        {
            reference[i] = new Complex((signal[i] - mean) * window[i], 0);
        }

        Fourier.Forward(reference, FourierOptions.Matlab);
        for (var k = 0; k < spectrum.Bins; k++)
        {
            var expected = reference[k].Magnitude * reference[k].Magnitude;
            Assert.True(Math.Abs(expected - power[k]) <= 1e-4 * Math.Max(1, expected), $"bin {k}: {expected} vs {power[k]}");
        }
    }

    [Theory]
    [InlineData(128, 125)]
    [InlineData(16, 9)]
    public void A_pair_from_one_transform_matches_two_transforms(int size, int length)
    {
        var random = new Random(size * length);
        var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, length).Select(i => MathF.Sin(i * 0.7f) + (0.1f * (float)random.NextDouble())).ToArray();
        var spectrum = new PowerSpectrum(size);
        var (expectedA, expectedB, actualA, actualB) = (new float[spectrum.Bins], new float[spectrum.Bins], new float[spectrum.Bins], new float[spectrum.Bins]);
        spectrum.Compute(a, a.Average(), expectedA);
        spectrum.Compute(b, b.Average(), expectedB);
        spectrum.ComputePair(a, a.Average(), b, b.Average(), actualA, actualB);
        var largest = expectedA.Concat(expectedB).Max();
        for (var k = 0; k < spectrum.Bins; k++)
        {
            // Float rounding of the shared transform, relative to the largest bin (small bins absorb the others' rounding).
            Assert.True(Math.Abs(expectedA[k] - actualA[k]) <= 1e-5f * largest, $"a, bin {k}: {expectedA[k]} vs {actualA[k]}");
            Assert.True(Math.Abs(expectedB[k] - actualB[k]) <= 1e-5f * largest, $"b, bin {k}: {expectedB[k]} vs {actualB[k]}");
        }
    }

    [Theory]
    [InlineData(256, 250)]
    [InlineData(128, 125)]
    [InlineData(64, 40)]
    [InlineData(32, 32)]
    [InlineData(16, 11)]
    [InlineData(8, 8)]
    [InlineData(4, 3)]
    public void Vector_butterflies_are_bit_identical_to_the_scalar_form(int size, int length)
    {
        var random = new Random(size + (3 * length));
        var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var spectrum = new PowerSpectrum(size);
        var (scalarA, scalarB, vectorA, vectorB) = (new float[spectrum.Bins], new float[spectrum.Bins], new float[spectrum.Bins], new float[spectrum.Bins]);
        spectrum.ComputePair(a, 0.5f, b, 0f, scalarA, scalarB, allowVectors: false);
        spectrum.ComputePair(a, 0.5f, b, 0f, vectorA, vectorB, allowVectors: true);
        Assert.Equal(scalarA, vectorA);
        Assert.Equal(scalarB, vectorB);
    }

    [Fact]
    public void A_pair_needs_signals_of_one_length()
    {
        var spectrum = new PowerSpectrum(16);
        Assert.Throws<ArgumentException>(() => spectrum.ComputePair(new float[9], 0, new float[8], 0, new float[9], new float[9]));
    }

    [Fact]
    public void A_sine_peaks_at_its_frequency()
    {
        const float rate = 12.5f;
        var signal = Enumerable.Range(0, 125).Select(i => MathF.Sin(2 * MathF.PI * 2f * i / rate)).ToArray();
        var spectrum = new PowerSpectrum(128);
        var power = new float[spectrum.Bins];
        spectrum.Compute(signal, 0, power);
        var peak = Array.IndexOf(power, power.Max());
        Assert.InRange(peak * rate / 128, 1.9f, 2.1f);
    }

    [Fact]
    public void Rejects_sizes_that_are_not_powers_of_two() => Assert.Throws<ArgumentOutOfRangeException>(() => new PowerSpectrum(100));
}

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

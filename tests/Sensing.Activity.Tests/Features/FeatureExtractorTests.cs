using Sensing.Activity.Features;

namespace Sensing.Activity.Tests.Features;

public class FeatureExtractorTests
{
    private const int N = 125;
    private const float Rate = 12.5f;

    private static float[] Compute(Func<int, (float X, float Y, float Z)> sample, out WindowSummary summary)
    {
        var x = new float[N];
        var y = new float[N];
        var z = new float[N];
        for (var i = 0; i < N; i++)
        {
            (x[i], y[i], z[i]) = sample(i);
        }

        var features = new float[WindowFeatures.Count];
        summary = new FeatureExtractor(N, Rate).Compute(x, y, z, features);
        Assert.All(features, f => Assert.True(float.IsFinite(f)));
        return features;
    }

    [Fact]
    public void A_still_band_reports_gravity_and_no_motion()
    {
        var f = Compute(_ => (0f, -1f, 0f), out var summary);
        Assert.Equal(1f, f[WindowFeatures.GravityNorm], 4);
        Assert.Equal(-1f, f[WindowFeatures.ForearmElevation], 4); // in the band frame until WindowContext sees the wear
        Assert.Equal(0f, f[WindowFeatures.GravityZ], 4);
        Assert.Equal(-3f, f[WindowFeatures.MagnitudeLogSd], 2); // log10 of the 1 mg floor
        Assert.Equal(N, summary.Count);
        Assert.Equal(-1.0, summary.Y.Mean, 6);
        Assert.Equal(0.0, summary.Y.M2, 6);
    }

    [Fact]
    public void Orientation_features_do_not_change_when_the_band_is_turned_round()
    {
        // Worn on the other wrist or turned round: x and y change sign together.
        var random = new Random(5);
        var samples = Enumerable.Range(0, N).Select(_ => ((float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.9f, (float)random.NextDouble() * 0.3f)).ToArray();
        var a = Compute(i => samples[i], out _);
        var b = Compute(i => (-samples[i].Item1, -samples[i].Item2, samples[i].Item3), out _);
        for (var k = 0; k < WindowFeatures.WindowCount; k++)
        {
            // The forearm elevation is signed in the band frame here; WindowContext turns it round (tested there).
            var expected = k == WindowFeatures.ForearmElevation ? -a[k] : a[k];
            Assert.True(Math.Abs(expected - b[k]) < 1e-3f, $"{WindowFeatures.Names[k]}: {expected} vs {b[k]}");
        }
    }

    [Fact]
    public void Rhythmic_arm_swing_shows_its_frequency_and_step_period()
    {
        // 2 Hz vertical bounce on gravity: the step frequency of brisk walking.
        var f = Compute(i => (0f, 0f, 1f + (0.4f * MathF.Sin(2 * MathF.PI * 2f * i / Rate))), out _);
        Assert.InRange(f[WindowFeatures.MagnitudeSpectrum + WindowFeatures.SpectrumDominantHz], 1.9f, 2.1f);
        Assert.InRange(f[WindowFeatures.StepPeriodSeconds], 0.45f, 0.55f);
        Assert.True(f[WindowFeatures.StepAutocorrelation] > 0.8f);
        Assert.True(f[WindowFeatures.PrincipalShare] > 0.99f);
    }

    [Fact]
    public void Principal_axis_of_a_diagonal_covariance_is_its_largest_axis()
    {
        var (v, l1, l2, l3) = FeatureExtractor.PrincipalAxis(1f, 4f, 2f, 0, 0, 0);
        Assert.Equal(1f, MathF.Abs(v.Y), 4);
        Assert.Equal(4f, l1, 3);
        Assert.Equal(2f, l2, 3);
        Assert.Equal(1f, l3, 3);
    }
}

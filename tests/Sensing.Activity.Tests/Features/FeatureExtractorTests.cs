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

    [Fact]
    public void Principal_axis_matches_a_general_eigen_decomposition()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            // Covariances of random 3-D clouds, from near-isotropic to nearly one-dimensional, at the scale of a still wrist.
            var scale = MathF.Pow(10f, -2f - (4f * (float)random.NextDouble()));
            var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(3, 3, (_, _) => (random.NextDouble() - 0.5) * (trial % 4 == 0 ? 0.05 : 1));
            m[0, 0] += trial % 3;
            var covariance = m * m.Transpose() * scale;
            var (v, l1, l2, l3) = FeatureExtractor.PrincipalAxis((float)covariance[0, 0], (float)covariance[1, 1], (float)covariance[2, 2], (float)covariance[0, 1], (float)covariance[0, 2], (float)covariance[1, 2]);
            var evd = covariance.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
            var values = evd.EigenValues.Select(c => c.Real).OrderDescending().ToArray();
            var tolerance = 1e-4 * values[0];
            Assert.True(Math.Abs(values[0] - l1) <= tolerance && Math.Abs(values[1] - l2) <= tolerance && Math.Abs(values[2] - l3) <= tolerance, $"trial {trial}: {string.Join(' ', values)} vs {l1} {l2} {l3}");
            if (values[0] - values[1] > 0.01 * values[0])
            {
                var largest = evd.EigenVectors.Column(evd.EigenValues.Select(c => c.Real).ToList().IndexOf(values[0]));
                var cos = Math.Abs((largest[0] * v.X) + (largest[1] * v.Y) + (largest[2] * v.Z));
                Assert.True(cos > 0.999, $"trial {trial}: |cos| {cos}");
            }
        }
    }
}

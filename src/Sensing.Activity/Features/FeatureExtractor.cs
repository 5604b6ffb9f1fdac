namespace Sensing.Activity.Features;

/// <summary>
/// Turns one window of resampled acceleration (x, y, z in g at <see cref="WindowGrid.RateHz"/>) into the
/// feature vector of <see cref="WindowFeatures"/>. Allocation-free per window; not thread-safe (owns scratch).
/// </summary>
/// <remarks>
/// What a wrist tells, and why these features: moving, its magnitude and the rhythm of arm swing and foot strike
/// (spectrum, autocorrelation) separate walking, stairs and running without knowing how the band sits. Still,
/// it tells the direction of gravity in the band's frame, and how much the arm sways or micro-moves: standing
/// sways (the body balances), sitting and lying are quieter, and lying often shows slow breathing movement.
/// Orientation features are made invariant to the band being worn on the other wrist or turned round (a
/// rotation by 180 degrees about the face normal flips x and y together), so they use |x|, |y|, z and x*y.
/// </remarks>
internal sealed class FeatureExtractor
{
    private static readonly float[] QuantileLevels = [0.1f, 0.25f, 0.5f, 0.75f, 0.9f];
    private readonly int _n;
    private readonly float _rate;
    private readonly float[] _magnitude;
    private readonly float[] _projection;
    private readonly float[] _principal;
    private readonly float[] _sorted;
    private readonly float[] _quantiles = new float[QuantileLevels.Length];
    private readonly float[] _power;
    private readonly PowerSpectrum _spectrum;

    public FeatureExtractor(int windowSamples, float rateHz)
    {
        _n = windowSamples;
        _rate = rateHz;
        _magnitude = new float[windowSamples];
        _projection = new float[windowSamples];
        _principal = new float[windowSamples];
        _sorted = new float[windowSamples];
        _spectrum = new PowerSpectrum((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)windowSamples));
        _power = new float[_spectrum.Bins];
    }

    /// <summary>Computes the features of a window and the per-axis summary used by the non-wear rule.</summary>
    /// <param name="features">At least <see cref="WindowFeatures.Count"/> elements.</param>
    public WindowSummary Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> features)
    {
        if (x.Length != _n || y.Length != _n || z.Length != _n)
        {
            throw new ArgumentException($"A window has {_n} samples per axis.");
        }

        if (features.Length < WindowFeatures.WindowCount)
        {
            throw new ArgumentException($"The feature span needs {WindowFeatures.WindowCount} elements.", nameof(features));
        }

        float n = _n;
        var mx = ActivityKernels.Sum(x) / n;
        var my = ActivityKernels.Sum(y) / n;
        var mz = ActivityKernels.Sum(z) / n;
        var sxx = ActivityKernels.SumPowerDeviation(x, mx, 2);
        var syy = ActivityKernels.SumPowerDeviation(y, my, 2);
        var szz = ActivityKernels.SumPowerDeviation(z, mz, 2);
        var sxy = ActivityKernels.SumCenteredProduct(x, y, mx, my);
        var sxz = ActivityKernels.SumCenteredProduct(x, z, mx, mz);
        var syz = ActivityKernels.SumCenteredProduct(y, z, my, mz);
        var summary = new WindowSummary(
            _n,
            new AxisSummary(mx, sxx, ActivityKernels.Min(x), ActivityKernels.Max(x)),
            new AxisSummary(my, syy, ActivityKernels.Min(y), ActivityKernels.Max(y)),
            new AxisSummary(mz, szz, ActivityKernels.Min(z), ActivityKernels.Max(z)));

        // Magnitude: everything a magnitude-only band also has.
        var m = _magnitude.AsSpan();
        ActivityKernels.Magnitude(x, y, z, m);
        var mm = ActivityKernels.Sum(m) / n;
        var m2 = ActivityKernels.SumPowerDeviation(m, mm, 2) / n;
        var m3 = ActivityKernels.SumPowerDeviation(m, mm, 3) / n;
        var m4 = ActivityKernels.SumPowerDeviation(m, mm, 4) / n;
        var sdM = MathF.Sqrt(m2);
        m.CopyTo(_sorted);
        Quantiles.Select(_sorted, QuantileLevels, _quantiles);
        var f = features;
        f[WindowFeatures.MagnitudeMean] = mm;
        f[WindowFeatures.MagnitudeLogSd] = LogScale(sdM);
        f[WindowFeatures.MagnitudeSkew] = m2 > 1e-8f ? Math.Clamp(m3 / (m2 * sdM), -20f, 20f) : 0f;
        f[WindowFeatures.MagnitudeKurtosis] = m2 > 1e-8f ? Math.Clamp((m4 / (m2 * m2)) - 3f, -5f, 100f) : 0f;
        for (var q = 0; q < QuantileLevels.Length; q++)
        {
            f[WindowFeatures.MagnitudeP10 + q] = _quantiles[q] - mm;
        }

        f[WindowFeatures.MagnitudeLogRange] = LogScale(ActivityKernels.Max(m) - ActivityKernels.Min(m));
        f[WindowFeatures.MagnitudeLogJerk] = LogScale(MeanAbsoluteDifference(m) * _rate);
        SpectralFeatures(m, mm, f, WindowFeatures.MagnitudeSpectrum);
        AutocorrelationFeatures(m, mm, m2 * n, f);

        // Gravity direction and how the wrist sways around it.
        var g = MathF.Sqrt((mx * mx) + (my * my) + (mz * mz));
        var (ux, uy, uz) = g > 1e-3f ? (mx / g, my / g, mz / g) : (0f, 0f, 1f);
        f[WindowFeatures.GravityNorm] = g;
        f[WindowFeatures.GravityAbsX] = MathF.Abs(ux);
        f[WindowFeatures.ForearmElevation] = uy; // in the band's frame until WindowContext knows how the band is worn
        f[WindowFeatures.GravityZ] = uz;
        f[WindowFeatures.GravityXY] = ux * uy;
        var v = _projection.AsSpan();
        ActivityKernels.Project(x, y, z, ux, uy, uz, v);
        var mv = ActivityKernels.Sum(v) / n;
        var varV = ActivityKernels.SumPowerDeviation(v, mv, 2) / n;
        var trace = (sxx + syy + szz) / n;
        f[WindowFeatures.LogSdTotal] = LogScale(MathF.Sqrt(trace));
        f[WindowFeatures.LogSdVertical] = LogScale(MathF.Sqrt(varV));
        f[WindowFeatures.LogSdHorizontal] = LogScale(MathF.Sqrt(MathF.Max(0f, trace - varV)));

        // Principal axis of motion: an orientation-free 1-D signal of the main movement (arm swing, breathing sway).
        var (e, l1, l2, l3) = PrincipalAxis(sxx / n, syy / n, szz / n, sxy / n, sxz / n, syz / n);
        f[WindowFeatures.PrincipalShare] = trace > 1e-9f ? l1 / trace : 1f;
        f[WindowFeatures.PlanarShare] = trace > 1e-9f ? l2 / trace : 0f;
        f[WindowFeatures.ResidualShare] = trace > 1e-9f ? l3 / trace : 0f;
        f[WindowFeatures.PrincipalGravityCos] = MathF.Abs((e.X * ux) + (e.Y * uy) + (e.Z * uz));
        var p = _principal.AsSpan();
        ActivityKernels.Project(x, y, z, e.X, e.Y, e.Z, p);
        var mp = ActivityKernels.Sum(p) / n;
        var varP = ActivityKernels.SumPowerDeviation(p, mp, 2) / n;
        SpectralFeatures(p, mp, f, WindowFeatures.PrincipalSpectrum);
        f[WindowFeatures.PrincipalSlowAutocorrelation] = MaxAutocorrelation(p, mp, varP * n, (int)(2f * _rate), (int)(4.5f * _rate)).Value;
        f[WindowFeatures.PrincipalLogJerk] = LogScale(MeanAbsoluteDifference(p) * _rate);

        // Per-axis spread and coupling in the band's own frame (sign-free where a flip of x and y would change them).
        f[WindowFeatures.LogSdX] = LogScale(MathF.Sqrt(sxx / n));
        f[WindowFeatures.LogSdY] = LogScale(MathF.Sqrt(syy / n));
        f[WindowFeatures.LogSdZ] = LogScale(MathF.Sqrt(szz / n));
        f[WindowFeatures.CorrelationXY] = Correlation(sxy, sxx, syy);
        f[WindowFeatures.CorrelationXZ] = MathF.Abs(Correlation(sxz, sxx, szz));
        f[WindowFeatures.CorrelationYZ] = MathF.Abs(Correlation(syz, syy, szz));
        return summary;
    }

    /// <summary>Log10 of a spread in g, floored at 1 mg (below the sensor's resolution) so that still windows compare.</summary>
    private static float LogScale(float value) => MathF.Log10(value + 1e-3f);

    private static float Correlation(float sab, float saa, float sbb)
    {
        var d = MathF.Sqrt(saa * sbb);
        return d > 1e-9f ? Math.Clamp(sab / d, -1f, 1f) : 0f;
    }

    private static float MeanAbsoluteDifference(ReadOnlySpan<float> s)
    {
        var total = 0f;
        for (var i = 1; i < s.Length; i++)
        {
            total += MathF.Abs(s[i] - s[i - 1]);
        }

        return total / (s.Length - 1);
    }

    private void SpectralFeatures(ReadOnlySpan<float> s, float mean, Span<float> f, int at)
    {
        _spectrum.Compute(s, mean, _power);
        var binHz = _rate / _spectrum.Size;
        var lowBin = Math.Max(1, (int)MathF.Ceiling(0.2f / binHz));
        var slow = 0.0;
        var gait = 0.0;
        var fast = 0.0;
        var total = 0.0;
        var best = lowBin;
        for (var k = lowBin; k < _spectrum.Bins; k++)
        {
            var hz = k * binHz;
            var pw = _power[k];
            total += pw;
            if (hz < 0.7f)
            {
                slow += pw;
            }
            else if (hz < 2.6f)
            {
                gait += pw;
            }
            else
            {
                fast += pw;
            }

            if (pw > _power[best])
            {
                best = k;
            }
        }

        var entropy = 0.0;
        if (total > 0)
        {
            for (var k = lowBin; k < _spectrum.Bins; k++)
            {
                var share = _power[k] / total;
                entropy -= share > 0 ? share * Math.Log(share) : 0;
            }

            entropy /= Math.Log(_spectrum.Bins - lowBin);
        }

        var peak = _power[best] + (best > lowBin ? _power[best - 1] : 0f) + (best + 1 < _spectrum.Bins ? _power[best + 1] : 0f);
        var scale = 1.0 / (_n * _n);
        f[at + WindowFeatures.SpectrumDominantHz] = best * binHz;
        f[at + WindowFeatures.SpectrumPeakShare] = total > 0 ? (float)(peak / total) : 0f;
        f[at + WindowFeatures.SpectrumLogSlow] = (float)Math.Log10((slow * scale) + 1e-8);
        f[at + WindowFeatures.SpectrumLogGait] = (float)Math.Log10((gait * scale) + 1e-8);
        f[at + WindowFeatures.SpectrumLogFast] = (float)Math.Log10((fast * scale) + 1e-8);
        f[at + WindowFeatures.SpectrumEntropy] = (float)entropy;
    }

    private void AutocorrelationFeatures(ReadOnlySpan<float> m, float mean, float sumSquares, Span<float> f)
    {
        f[WindowFeatures.MagnitudeLag1Autocorrelation] = Autocorrelation(m, mean, sumSquares, 1);
        var step = MaxAutocorrelation(m, mean, sumSquares, (int)MathF.Round(0.28f * _rate), (int)MathF.Round(0.8f * _rate));
        f[WindowFeatures.StepAutocorrelation] = step.Value;
        f[WindowFeatures.StepPeriodSeconds] = step.Lag / _rate;
        f[WindowFeatures.StrideAutocorrelation] = MaxAutocorrelation(m, mean, sumSquares, (int)MathF.Round(0.8f * _rate), (int)MathF.Round(1.6f * _rate)).Value;
    }

    private static float Autocorrelation(ReadOnlySpan<float> s, float mean, float sumSquares, int lag)
    {
        if (sumSquares <= 1e-9f || lag >= s.Length)
        {
            return 0f;
        }

        // Normalised by the full-window sum of squares (the biased estimator): long lags shrink towards zero.
        return ActivityKernels.SumCenteredProduct(s[..^lag], s[lag..], mean, mean) / sumSquares;
    }

    private static (float Value, int Lag) MaxAutocorrelation(ReadOnlySpan<float> s, float mean, float sumSquares, int fromLag, int toLag)
    {
        var best = (Value: -1f, Lag: fromLag);
        for (var lag = fromLag; lag <= toLag; lag++)
        {
            var r = Autocorrelation(s, mean, sumSquares, lag);
            if (r > best.Value)
            {
                best = (r, lag);
            }
        }

        return best;
    }

    /// <summary>Largest eigenvector and the three eigenvalues (descending) of a symmetric 3x3 covariance.</summary>
    internal static ((float X, float Y, float Z) Vector, float L1, float L2, float L3) PrincipalAxis(float xx, float yy, float zz, float xy, float xz, float yz)
    {
        // Power iteration from a start that is not orthogonal to any axis; 3x3 converges in a few dozen steps.
        double vx = 0.57735, vy = 0.57736, vz = 0.57734;
        var lambda = 0.0;
        for (var it = 0; it < 40; it++)
        {
            var nx = (xx * vx) + (xy * vy) + (xz * vz);
            var ny = (xy * vx) + (yy * vy) + (yz * vz);
            var nz = (xz * vx) + (yz * vy) + (zz * vz);
            var norm = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
            if (norm < 1e-15)
            {
                return ((0f, 0f, 1f), 0f, 0f, 0f);
            }

            (vx, vy, vz) = (nx / norm, ny / norm, nz / norm);
            lambda = norm;
        }

        // The other two from the trace and the determinant: l2 + l3 = T - l1, l2 * l3 = det / l1.
        double trace = xx + yy + zz;
        var det = (xx * ((yy * zz) - (yz * yz))) - (xy * ((xy * zz) - (yz * xz))) + (xz * ((xy * yz) - (yy * xz)));
        var sum = Math.Max(0, trace - lambda);
        var product = lambda > 1e-15 ? Math.Max(0, det / lambda) : 0;
        var disc = Math.Sqrt(Math.Max(0, (sum * sum) - (4 * product)));
        return (((float)vx, (float)vy, (float)vz), (float)lambda, (float)((sum + disc) / 2), (float)Math.Max(0, (sum - disc) / 2));
    }
}

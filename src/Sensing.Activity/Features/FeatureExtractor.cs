using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// rotation by 180 degrees about the face normal flips x and y together), so they use |x|, z and x*y; the one signed
/// feature, gravity along the forearm (y), is written in the band's frame and turned into the wear-independent
/// forearm elevation by <see cref="WindowContext"/>, which learns from walking which end of y points to the hand.
/// </remarks>
internal sealed class FeatureExtractor
{
    private static readonly float[] QuantileLevels = [0.1f, 0.25f, 0.5f, 0.75f, 0.9f];
    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private readonly int _n;
    private readonly float _rate;
    private readonly float[] _magnitude;
    private readonly float[] _projection;
    private readonly float[] _principal;
    private readonly float[] _sorted;
    private readonly float[] _quantiles = new float[QuantileLevels.Length];
    private readonly float[] _power;
    private readonly float[] _principalPower;
    private readonly PowerSpectrum _spectrum;
    private readonly SpectrumBands _bands;
    private readonly float[] _centred;
    private readonly float[] _lagSums;
    private readonly LagRange _stepLags;
    private readonly LagRange _strideLags;
    private readonly LagRange _slowLags;

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
        _principalPower = new float[_spectrum.Bins];
        _bands = new SpectrumBands(rateHz / _spectrum.Size, _spectrum.Bins);

        // Step (0.28-0.8 s) and stride (0.8-1.6 s) periods of the magnitude; breathing and slow sway (2-4.5 s) of the
        // principal axis, every other lag, as the peak is several lags wide there.
        _stepLags = new LagRange((int)MathF.Round(0.28f * rateHz), (int)MathF.Round(0.8f * rateHz), 1);
        _strideLags = new LagRange((int)MathF.Round(0.8f * rateHz), (int)MathF.Round(1.6f * rateHz), 1);
        _slowLags = new LagRange((int)(2f * rateHz), (int)(4.5f * rateHz), 2);
        _centred = new float[windowSamples + LaggedProducts.Padding];
        // Room after the lags for two vectors, so that BestLag can read sixteen lags (at a step of two) from any start.
        _lagSums = new float[Math.Max(MagnitudeLags, _slowLags.To - _slowLags.From + 1) + (2 * Vector512<float>.Count)];
    }

    // The magnitude's lags, from 0: lag 1 and the step and stride ranges in one call.
    private int MagnitudeLags => Math.Max(2, Math.Max(_stepLags.To, _strideLags.To) + 1);

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

        // The three axes side by side, two passes (the same sums as one axis or one pair at a time).
        float n = _n;
        var ((sumX, sumY, sumZ), (minX, minY, minZ), (maxX, maxY, maxZ)) = ActivityKernels.SumsMinimaMaxima(x, y, z);
        var (mx, my, mz) = (sumX / n, sumY / n, sumZ / n);
        var ((sxx, syy, szz), (sxy, sxz, syz)) = ActivityKernels.SecondMoments(x, mx, y, my, z, mz);
        var summary = new WindowSummary(_n, new AxisSummary(mx, sxx, minX, maxX), new AxisSummary(my, syy, minY, maxY), new AxisSummary(mz, szz, minZ, maxZ));

        // Magnitude: everything a magnitude-only band also has.
        var m = _magnitude.AsSpan();
        ActivityKernels.Magnitude(x, y, z, m);
        var (sumM, maxM, minM) = ActivityKernels.SumAndRange(m);
        var mm = sumM / n;
        var (d2, d3, d4) = ActivityKernels.SumDeviationPowers(m, mm);
        var (m2, m3, m4) = (d2 / n, d3 / n, d4 / n);
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

        f[WindowFeatures.MagnitudeLogRange] = LogScale(maxM - minM);
        f[WindowFeatures.MagnitudeLogJerk] = LogScale(MeanAbsoluteDifference(m) * _rate);
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

        // Both spectra from one complex transform.
        _spectrum.ComputePair(m, mm, p, mp, _power, _principalPower);
        SpectralFeatures(_power, f, WindowFeatures.MagnitudeSpectrum);
        SpectralFeatures(_principalPower, f, WindowFeatures.PrincipalSpectrum);

        f[WindowFeatures.PrincipalSlowAutocorrelation] = MaxAutocorrelation(p, mp, varP * n, _slowLags).Value;
        f[WindowFeatures.PrincipalLogJerk] = LogScale(MeanAbsoluteDifference(p) * _rate);

        // Per-axis spread and coupling in the band's own frame (sign-free where a flip of x and y would change them).
        f[WindowFeatures.LogSdX] = LogScale(MathF.Sqrt(sxx / n));
        f[WindowFeatures.LogSdY] = LogScale(MathF.Sqrt(syy / n));
        f[WindowFeatures.LogSdZ] = LogScale(MathF.Sqrt(szz / n));
        f[WindowFeatures.CorrelationXY] = Correlation(sxy, sxx, syy);
        f[WindowFeatures.CorrelationXZ] = MathF.Abs(Correlation(sxz, sxx, szz));
        f[WindowFeatures.CorrelationYZ] = MathF.Abs(Correlation(syz, syy, szz));
        TakeLogs(f);
        return summary;
    }

    /// <summary>
    /// The features written as the argument of their log10 (spreads floored at 1 mg, band powers at 1e-8), sixteen:
    /// their logarithms are taken together, as one vector, at the end of <see cref="Compute"/>.
    /// </summary>
    internal static ReadOnlySpan<int> LogFeatures =>
    [
        WindowFeatures.MagnitudeLogSd, WindowFeatures.MagnitudeLogRange, WindowFeatures.MagnitudeLogJerk, WindowFeatures.LogSdTotal,
        WindowFeatures.LogSdVertical, WindowFeatures.LogSdHorizontal, WindowFeatures.PrincipalLogJerk, WindowFeatures.LogSdX,
        WindowFeatures.LogSdY, WindowFeatures.LogSdZ,
        WindowFeatures.MagnitudeSpectrum + WindowFeatures.SpectrumLogSlow, WindowFeatures.MagnitudeSpectrum + WindowFeatures.SpectrumLogGait,
        WindowFeatures.MagnitudeSpectrum + WindowFeatures.SpectrumLogFast, WindowFeatures.PrincipalSpectrum + WindowFeatures.SpectrumLogSlow,
        WindowFeatures.PrincipalSpectrum + WindowFeatures.SpectrumLogGait, WindowFeatures.PrincipalSpectrum + WindowFeatures.SpectrumLogFast,
    ];

    // Sixteen scalar log10 calls were a tenth of a window's features; one vector logarithm costs about one of them.
    private static void TakeLogs(Span<float> f)
    {
        var arguments = (Span<float>)stackalloc float[Log10.Lanes];
        var indices = LogFeatures;
        for (var k = 0; k < indices.Length; k++)
        {
            arguments[k] = f[indices[k]];
        }

        Log10.Of(arguments);
        for (var k = 0; k < indices.Length; k++)
        {
            f[indices[k]] = arguments[k];
        }
    }

    /// <summary>Log10 of a spread in g, floored at 1 mg (below the sensor's resolution) so that still windows compare.</summary>
    /// <remarks>Written as its argument; <see cref="TakeLogs"/> turns every logarithmic feature into its log10 at the end.</remarks>
    private static float LogScale(float value) => value + 1e-3f;

    private static float Correlation(float sab, float saa, float sbb)
    {
        var d = MathF.Sqrt(saa * sbb);
        return d > 1e-9f ? Math.Clamp(sab / d, -1f, 1f) : 0f;
    }

    private static float MeanAbsoluteDifference(ReadOnlySpan<float> s) => ActivityKernels.TotalVariation(s) / (s.Length - 1);

    private void SpectralFeatures(ReadOnlySpan<float> power, Span<float> f, int at)
    {
        var b = _bands;
        var (total, peakPower, sumPowerLogPower) = ActivityKernels.SpectrumTotals(power[b.Low..]);
        var slow = ActivityKernels.Sum(power[b.Low..b.SlowEnd]);
        var gait = ActivityKernels.Sum(power[b.SlowEnd..b.GaitEnd]);
        var fast = ActivityKernels.Sum(power[b.GaitEnd..]);
        var best = b.Low + power[b.Low..].IndexOf(peakPower);

        // Entropy of the shares p = power / total, normalised by its maximum (a flat spectrum):
        // -sum p ln p = ln total - sum(power ln power) / total.
        var entropy = total > 0f ? (MathF.Log(total) - (sumPowerLogPower / total)) / b.LogBinCount : 0f;
        var peak = power[best] + (best > b.Low ? power[best - 1] : 0f) + (best + 1 < power.Length ? power[best + 1] : 0f);
        var scale = 1f / (_n * _n);
        f[at + WindowFeatures.SpectrumDominantHz] = best * b.BinHz;
        f[at + WindowFeatures.SpectrumPeakShare] = total > 0 ? peak / total : 0f;
        // Band powers floored at 1e-8 g^2, written as the argument of their log10 (TakeLogs takes it).
        f[at + WindowFeatures.SpectrumLogSlow] = (slow * scale) + 1e-8f;
        f[at + WindowFeatures.SpectrumLogGait] = (gait * scale) + 1e-8f;
        f[at + WindowFeatures.SpectrumLogFast] = (fast * scale) + 1e-8f;
        f[at + WindowFeatures.SpectrumEntropy] = Math.Clamp(entropy, 0f, 1f);
    }

    private void AutocorrelationFeatures(ReadOnlySpan<float> m, float mean, float sumSquares, Span<float> f)
    {
        var sums = LagSums(m, mean, 0, MagnitudeLags);
        f[WindowFeatures.MagnitudeLag1Autocorrelation] = Normalised(sums[1], sumSquares);
        var step = BestLag(sums, 0, sumSquares, _stepLags);
        f[WindowFeatures.StepAutocorrelation] = step.Value;
        f[WindowFeatures.StepPeriodSeconds] = step.Lag / _rate;
        f[WindowFeatures.StrideAutocorrelation] = BestLag(sums, 0, sumSquares, _strideLags).Value;
    }

    private (float Value, int Lag) MaxAutocorrelation(ReadOnlySpan<float> s, float mean, float sumSquares, LagRange lags)
        => BestLag(LagSums(s, mean, lags.From, lags.To - lags.From + 1), lags.From, sumSquares, lags);

    // The raw autocorrelation of s about its mean at lags firstLag .. firstLag + count - 1, at the start of the lag
    // scratch; the whole scratch is returned, as BestLag reads whole vectors from the start of its range.
    private Span<float> LagSums(ReadOnlySpan<float> s, float mean, int firstLag, int count)
    {
        LaggedProducts.Centre(s, mean, _centred);
        var sums = _lagSums.AsSpan();
        LaggedProducts.Sum(_centred, s.Length, firstLag, sums[..count]);
        return sums;
    }

    // An autocorrelation from its sum of centred products: normalised by the full-window sum of squares (the biased
    // estimator, so long lags shrink towards zero), and 0 for a window with no variance.
    private static float Normalised(float sum, float sumSquares) => sumSquares <= 1e-9f ? 0f : sum / sumSquares;

    /// <summary>
    /// The first lag with the highest autocorrelation among <c>lags.From</c>, <c>lags.From + lags.Step</c>, ... up to
    /// <c>lags.To</c>, from the lagged sums (<c>sums[L - firstLag]</c> at lag L). A lag at or past the window's end
    /// sums to 0, so it wins with 0 where every lag within the window was negative.
    /// </summary>
    internal static (float Value, int Lag) BestLag(ReadOnlySpan<float> sums, int firstLag, float sumSquares, LagRange lags, bool allowVectors = true)
    {
        var count = lags.To >= lags.From ? ((lags.To - lags.From) / lags.Step) + 1 : 0;
        var at = lags.From - firstLag;
        if (allowVectors && Vector512.IsHardwareAccelerated && sumSquares > 1e-9f && count is > 0 and <= 16
            && (lags.Step == 1 || (lags.Step == 2 && Avx512F.IsSupported)) && sums.Length - at >= lags.Step * Vector512<float>.Count)
        {
            return BestLag512(sums[at..], sumSquares, lags, count);
        }

        var best = (Value: -1f, Lag: lags.From);
        for (var lag = lags.From; lag <= lags.To; lag += lags.Step)
        {
            var r = Normalised(sums[lag - firstLag], sumSquares);
            if (r > best.Value)
            {
                best = (r, lag);
            }
        }

        return best;
    }

    // The same over up to sixteen lags at once: every r by one vector division (the same quotient as one at a time),
    // their largest, and the first lane holding it; the loop above only ever replaces its best by a larger r, so that
    // lane is its answer, or (-1, the first lag) when no r exceeds -1.
    private static (float Value, int Lag) BestLag512(ReadOnlySpan<float> sums, float sumSquares, LagRange lags, int count)
    {
        ref var from = ref MemoryMarshal.GetReference(sums);
        var values = lags.Step == 1
            ? Vector512.LoadUnsafe(ref from)
            : Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref from), EvenLanes, Vector512.LoadUnsafe(ref from, (nuint)Vector512<float>.Count));
        var inRange = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
        var r = Vector512.ConditionalSelect(inRange, values / sumSquares, Vector512.Create(float.NegativeInfinity));
        var largest = ActivityKernels.Largest(r);
        if (!(largest > -1f))
        {
            return (-1f, lags.From);
        }

        var k = BitOperations.TrailingZeroCount(Vector512.Equals(r, Vector512.Create(largest)).ExtractMostSignificantBits());
        return (r.GetElement(k), lags.From + (k * lags.Step));
    }

    /// <summary>Largest eigenvector and the three eigenvalues (descending) of a symmetric 3x3 covariance.</summary>
    /// <remarks>
    /// Closed form (the trigonometric solution of the characteristic cubic, Smith 1961) rather than power iteration:
    /// three transcendental calls instead of forty normalised matrix products, about a twentieth of the cost. The
    /// eigenvector is the longest cross product of two rows of <c>A - l1 I</c>, which are orthogonal to it; its sign
    /// is arbitrary, and every feature made from it is sign-free.
    /// </remarks>
    internal static ((float X, float Y, float Z) Vector, float L1, float L2, float L3) PrincipalAxis(float xx, float yy, float zz, float xy, float xz, float yz)
    {
        double a = xx, b = yy, c = zz, d = xy, e = xz, f = yz;
        var offDiagonal = (d * d) + (e * e) + (f * f);
        var q = (a + b + c) / 3;
        var p2 = ((a - q) * (a - q)) + ((b - q) * (b - q)) + ((c - q) * (c - q)) + (2 * offDiagonal);
        if (p2 < 1e-30)
        {
            // Isotropic (or zero): every direction is principal.
            var l = (float)Math.Max(0, q);
            return ((0f, 0f, 1f), l, l, l);
        }

        var p = Math.Sqrt(p2 / 6);
        var (ba, bb, bc, bd, be, bf) = ((a - q) / p, (b - q) / p, (c - q) / p, d / p, e / p, f / p);
        var halfDet = ((ba * ((bb * bc) - (bf * bf))) - (bd * ((bd * bc) - (bf * be))) + (be * ((bd * bf) - (bb * be)))) / 2;
        var phi = Math.Acos(Math.Clamp(halfDet, -1, 1)) / 3;
        var l1 = q + (2 * p * Math.Cos(phi));
        var l3 = q + (2 * p * Math.Cos(phi + (2 * Math.PI / 3)));
        var l2 = (3 * q) - l1 - l3;

        // Rows of A - l1 I; the eigenvector is orthogonal to all three.
        var (r0x, r0y, r0z) = (a - l1, d, e);
        var (r1x, r1y, r1z) = (d, b - l1, f);
        var (r2x, r2y, r2z) = (e, f, c - l1);
        var best = Cross(r0x, r0y, r0z, r1x, r1y, r1z);
        var other = Cross(r0x, r0y, r0z, r2x, r2y, r2z);
        best = other.Norm2 > best.Norm2 ? other : best;
        other = Cross(r1x, r1y, r1z, r2x, r2y, r2z);
        best = other.Norm2 > best.Norm2 ? other : best;

        var n = Math.Sqrt(best.Norm2);
        var vector = n > 1e-30 ? ((float)(best.X / n), (float)(best.Y / n), (float)(best.Z / n)) : (0f, 0f, 1f);
        return (vector, (float)Math.Max(0, l1), (float)Math.Max(0, l2), (float)Math.Max(0, l3));
    }

    private static (double X, double Y, double Z, double Norm2) Cross(double ax, double ay, double az, double bx, double by, double bz)
    {
        var (x, y, z) = ((ay * bz) - (az * by), (az * bx) - (ax * bz), (ax * by) - (ay * bx));
        return (x, y, z, (x * x) + (y * y) + (z * z));
    }
}

/// <summary>Lags <see cref="From"/>, <c>From + Step</c>, ... up to <see cref="To"/>, in samples.</summary>
internal readonly record struct LagRange(int From, int To, int Step);

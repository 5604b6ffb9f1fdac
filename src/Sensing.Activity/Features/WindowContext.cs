namespace Sensing.Activity.Features;

/// <summary>
/// The per-stream state behind the context features: the last minute of windows (this one and up to
/// <see cref="Span"/> - 1 before it, in one run of consecutive windows), and how the band is worn. Causal: a window's
/// features depend only on it and the windows before it, so the pipeline stays streaming and chunk-invariant.
/// Not thread-safe; one per stream (a few hundred bytes).
/// </summary>
/// <remarks>
/// <para>Why a minute: a still wrist gives only its orientation and a little micro-movement, and one 10 s window
/// shows that movement through the sensor's 1/64 g steps. Across participants, lying with the forearm flat on the
/// bed is quieter and more noise-like (whiter principal-axis spectrum, lower spread) than sitting with it on a thigh
/// or table, but the difference is small against window-to-window scatter; averaged over a minute it is several
/// times steadier. Six windows also fit the one- to three-minute bouts the model learns from.</para>
/// <para>Why the wear: with the hand resting on the trunk (lying on the back) the hand is above the elbow, which
/// sitting rarely shows; seeing it needs the sign of gravity along the forearm, which a band turned round (or on the
/// other wrist) flips together with the axis across the wrist. Walking, with the arm hanging, tells which end of the
/// band's y axis points to the hand; until a stream has walked for half a minute the band is taken to be worn as in the
/// training recordings (hand at +y).</para>
/// </remarks>
internal sealed class WindowContext
{
    /// <summary>Windows in the context, the current one included (one minute).</summary>
    public const int Span = 6;

    // Columns of the ring: the window features that are averaged, then the unit gravity vector in the band frame.
    private static readonly int[] Averaged =
    [
        WindowFeatures.LogSdTotal, WindowFeatures.PrincipalEntropy, WindowFeatures.PrincipalPeakShare, WindowFeatures.PrincipalLogSlow,
        WindowFeatures.MagnitudeLag1Autocorrelation, WindowFeatures.ForearmElevation, WindowFeatures.GravityAbsX, WindowFeatures.GravityZ,
    ];

    private static readonly int[] AveragedInto =
    [
        WindowFeatures.ContextLogSdTotal, WindowFeatures.ContextPrincipalEntropy, WindowFeatures.ContextPrincipalPeakShare, WindowFeatures.ContextPrincipalLogSlow,
        WindowFeatures.ContextMagnitudeLag1Autocorrelation, WindowFeatures.ContextForearmElevation, WindowFeatures.ContextGravityAbsX, WindowFeatures.ContextGravityZ,
    ];

    private const int GravityColumn = 8;

    /// <summary>Ring row width, padded to a multiple of 16 floats so a row sum is whole vectors.</summary>
    private const int Width = 16;

    /// <summary>
    /// Walking windows needed (half a minute) before the walking direction of the forearm overrides the default wear.
    /// Few, because hanging arms agree: in walking, gravity along the forearm reads -0.82 to -0.99 g for every selfBACK
    /// participant; and the decision is the sign of the sum over all walking windows seen, so a few odd ones cannot flip it.
    /// </summary>
    private const int WearEvidenceWindows = 3;

    private readonly float[] _ring = new float[Span * Width];
    private readonly float[] _sums = new float[Width];
    private long _lastIndex = long.MinValue;
    private int _count;
    private int _next;
    private double _walkingForearmY;
    private int _walkingWindows;
    private double _walkingAbsX, _walkingAbsY, _walkingAbsZ;

    /// <summary>+1 when the band sits as in training (hand at +y), -1 when turned round.</summary>
    public float WearSign => _walkingWindows >= WearEvidenceWindows && _walkingForearmY > 0 ? -1f : 1f;

    /// <summary>
    /// The device axis (0 x, 1 y, 2 z) along which gravity lay in clear walking, i.e. the hanging forearm; null until
    /// half a minute of walking. Anything but 1 means the device's frame is not the wrist frame the model learned.
    /// </summary>
    public int? WalkingForearmAxis => _walkingWindows < WearEvidenceWindows ? null
        : _walkingAbsY >= Math.Max(_walkingAbsX, _walkingAbsZ) ? 1 : _walkingAbsX >= _walkingAbsZ ? 0 : 2;

    /// <summary>
    /// Takes the window features written by <see cref="FeatureExtractor.Compute"/>, makes the forearm elevation
    /// independent of how the band is worn, and writes the context features.
    /// </summary>
    /// <param name="windowIndex">Index of the window on the grid; a jump starts a new run (the context is cleared).</param>
    /// <param name="summary">The window's per-axis means, the gravity direction in the band frame.</param>
    /// <param name="features">At least <see cref="WindowFeatures.Count"/> elements, the first <see cref="WindowFeatures.WindowCount"/> filled.</param>
    public void Append(long windowIndex, in WindowSummary summary, Span<float> features)
    {
        if (features.Length < WindowFeatures.Count)
        {
            throw new ArgumentException($"The feature span needs {WindowFeatures.Count} elements.", nameof(features));
        }

        if (windowIndex != _lastIndex + 1)
        {
            _count = 0;
        }

        _lastIndex = windowIndex;
        var g = Math.Sqrt((summary.X.Mean * summary.X.Mean) + (summary.Y.Mean * summary.Y.Mean) + (summary.Z.Mean * summary.Z.Mean));
        var (ux, uy, uz) = g > 1e-3 ? ((float)(summary.X.Mean / g), (float)(summary.Y.Mean / g), (float)(summary.Z.Mean / g)) : (0f, 0f, 1f);
        features[WindowFeatures.ForearmElevation] = WearSign * uy;
        LearnWear(features, ux, uy, uz);

        var row = _ring.AsSpan(_next * Width, Width);
        for (var c = 0; c < Averaged.Length; c++)
        {
            row[c] = features[Averaged[c]];
        }

        (row[GravityColumn], row[GravityColumn + 1], row[GravityColumn + 2]) = (ux, uy, uz);
        _next = (_next + 1) % Span;
        _count = Math.Min(_count + 1, Span);

        _sums.AsSpan().Clear();
        var maxSd = float.NegativeInfinity;
        for (var k = 0; k < _count; k++)
        {
            var past = _ring.AsSpan(((_next - 1 - k + Span) % Span) * Width, Width);
            ActivityKernels.AddTo(past, _sums);
            maxSd = MathF.Max(maxSd, past[0]);
        }

        var scale = 1f / _count;
        for (var c = 0; c < Averaged.Length; c++)
        {
            features[AveragedInto[c]] = _sums[c] * scale;
        }

        features[WindowFeatures.ContextMaxLogSdTotal] = maxSd;
        var (mx, my, mz) = (_sums[GravityColumn] * scale, _sums[GravityColumn + 1] * scale, _sums[GravityColumn + 2] * scale);

        // 0 when the wrist held one orientation all minute; grows with every change of posture or arm position.
        features[WindowFeatures.ContextGravitySpread] = 1f - MathF.Min(1f, MathF.Sqrt((mx * mx) + (my * my) + (mz * mz)));
    }

    /// <summary>Accumulates the forearm direction in windows of clear arm-swing walking.</summary>
    /// <remarks>
    /// On the wrist the magnitude repeats once per stride (one swing of the arm), not once per step, so the rule
    /// asks for a stride autocorrelation above 0.5; and a spread of 0.1-0.4 g, walking's: running is harder, and the
    /// runner's bent elbow holds the forearm near horizontal, which says little about which end points to the hand.
    /// On the selfBACK recordings this takes 47-81 % of the windows of level walking at each speed, 13-18 % of
    /// stairs, 1 % of jogging and none of standing, sitting or lying.
    /// </remarks>
    private void LearnWear(ReadOnlySpan<float> features, float ux, float uy, float uz)
    {
        var sd = features[WindowFeatures.MagnitudeLogSd];
        if (features[WindowFeatures.StrideAutocorrelation] > 0.5f && sd > -1f && sd < -0.4f)
        {
            _walkingForearmY += uy;
            _walkingWindows++;
            (_walkingAbsX, _walkingAbsY, _walkingAbsZ) = (_walkingAbsX + Math.Abs(ux), _walkingAbsY + Math.Abs(uy), _walkingAbsZ + Math.Abs(uz));
        }
    }
}

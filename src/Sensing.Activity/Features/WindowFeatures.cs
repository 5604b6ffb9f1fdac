namespace Sensing.Activity.Features;

/// <summary>
/// The layout of the feature vector: indices, names, and the schema version stored in model files (a model
/// trained on another layout is refused). The first <see cref="MagnitudeOnlyCount"/> features use only the
/// magnitude of acceleration. Features from <see cref="WindowFeatures.WindowCount"/> on describe the surrounding
/// minute (<see cref="WindowContext"/>), not the window alone.
/// </summary>
internal static class WindowFeatures
{
    /// <summary>Bump when any feature changes meaning; model files carry it.</summary>
    public const int SchemaVersion = 4;

    public const int MagnitudeMean = 0;
    public const int MagnitudeLogSd = 1;
    public const int MagnitudeSkew = 2;
    public const int MagnitudeKurtosis = 3;
    public const int MagnitudeP10 = 4; // P10, P25, P50, P75, P90, each relative to the mean
    public const int MagnitudeLogRange = 9;
    public const int MagnitudeLogJerk = 10;
    public const int MagnitudeSpectrum = 11; // SpectrumFeatureCount entries
    public const int MagnitudeLag1Autocorrelation = 17;
    public const int StepAutocorrelation = 18;
    public const int StepPeriodSeconds = 19;
    public const int StrideAutocorrelation = 20;
    public const int MagnitudeOnlyCount = 21;

    public const int GravityNorm = 21;
    public const int GravityAbsX = 22;
    public const int ForearmElevation = 23; // signed: see WindowContext
    public const int GravityZ = 24;
    public const int GravityXY = 25;
    public const int LogSdTotal = 26;
    public const int LogSdVertical = 27;
    public const int LogSdHorizontal = 28;
    public const int PrincipalShare = 29;
    public const int PlanarShare = 30;
    public const int ResidualShare = 31;
    public const int PrincipalGravityCos = 32;
    public const int PrincipalSpectrum = 33; // SpectrumFeatureCount entries
    public const int PrincipalPeakShare = PrincipalSpectrum + SpectrumPeakShare;
    public const int PrincipalLogSlow = PrincipalSpectrum + SpectrumLogSlow;
    public const int PrincipalEntropy = PrincipalSpectrum + SpectrumEntropy;
    public const int PrincipalSlowAutocorrelation = 39;
    public const int PrincipalLogJerk = 40;
    public const int LogSdX = 41;
    public const int LogSdY = 42;
    public const int LogSdZ = 43;
    public const int CorrelationXY = 44;
    public const int CorrelationXZ = 45;
    public const int CorrelationYZ = 46;
    public const int WindowCount = 47;

    // The last minute of windows (this one and up to five before it, in one run), from WindowContext.
    public const int ContextLogSdTotal = 47;
    public const int ContextMaxLogSdTotal = 48;
    public const int ContextPrincipalEntropy = 49;
    public const int ContextPrincipalPeakShare = 50;
    public const int ContextPrincipalLogSlow = 51;
    public const int ContextMagnitudeLag1Autocorrelation = 52;
    public const int ContextForearmElevation = 53;
    public const int ContextGravityAbsX = 54;
    public const int ContextGravityZ = 55;
    public const int ContextGravitySpread = 56;
    public const int Count = 57;

    // Offsets within a spectrum block.
    public const int SpectrumDominantHz = 0;
    public const int SpectrumPeakShare = 1;
    public const int SpectrumLogSlow = 2;
    public const int SpectrumLogGait = 3;
    public const int SpectrumLogFast = 4;
    public const int SpectrumEntropy = 5;
    public const int SpectrumFeatureCount = 6;

    /// <summary>Names for reports and feature-importance listings, by index.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "mag_mean", "mag_log_sd", "mag_skew", "mag_kurtosis", "mag_p10", "mag_p25", "mag_p50", "mag_p75", "mag_p90",
        "mag_log_range", "mag_log_jerk",
        "mag_dom_hz", "mag_peak_share", "mag_log_slow", "mag_log_gait", "mag_log_fast", "mag_entropy",
        "mag_acf_lag1", "step_acf", "step_period_s", "stride_acf",
        "gravity_norm", "gravity_abs_x", "forearm_elevation", "gravity_z", "gravity_xy",
        "log_sd_total", "log_sd_vertical", "log_sd_horizontal",
        "principal_share", "planar_share", "residual_share", "principal_gravity_cos",
        "pc_dom_hz", "pc_peak_share", "pc_log_slow", "pc_log_gait", "pc_log_fast", "pc_entropy",
        "pc_slow_acf", "pc_log_jerk",
        "log_sd_x", "log_sd_y", "log_sd_z", "corr_xy", "abs_corr_xz", "abs_corr_yz",
        "ctx_log_sd_total", "ctx_max_log_sd_total", "ctx_pc_entropy", "ctx_pc_peak_share", "ctx_pc_log_slow", "ctx_mag_acf_lag1",
        "ctx_forearm_elevation", "ctx_gravity_abs_x", "ctx_gravity_z", "ctx_gravity_spread",
    ];
}

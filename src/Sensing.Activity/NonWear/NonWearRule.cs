namespace Sensing.Activity.NonWear;

/// <summary>
/// The van Hees / GGIR non-wear criteria: over a 60-minute window, an axis is still when its standard deviation is
/// below 13 mg, or when its value range is below 50 mg; the band is off when at least two of the three axes are
/// still by either measure (GGIR's <c>g.weardec</c>: SD test on 2 axes OR range test on 2 axes).
/// </summary>
/// <remarks>
/// The statistics are taken on the 12.5 Hz grid the classifier uses (means of 80 ms), not on raw samples: averaging
/// lowers sensor noise a little, so the rule is marginally more ready to call a perfectly still band off; a worn
/// band over an hour moves far more than these thresholds either way.
/// </remarks>
public static class NonWearRule
{
    /// <summary>Standard deviation threshold, g.</summary>
    public const double SdThreshold = 0.013;

    /// <summary>Value range threshold, g.</summary>
    public const double RangeThreshold = 0.050;

    /// <summary>Length of the evaluation window.</summary>
    public static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(60);

    /// <summary>Step between evaluation windows.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    /// <summary>True when at least two axes are still by SD, or at least two by range.</summary>
    public static bool IsNonWear(ReadOnlySpan<double> sd, ReadOnlySpan<double> range)
    {
        var stillBySd = 0;
        var stillByRange = 0;
        for (var a = 0; a < 3; a++)
        {
            stillBySd += sd[a] < SdThreshold ? 1 : 0;
            stillByRange += range[a] < RangeThreshold ? 1 : 0;
        }

        return stillBySd >= 2 || stillByRange >= 2;
    }
}

using Sensing.Core;

namespace Sensing.Recordings;

/// <summary>How the time column of a recording is written.</summary>
public enum TimeUnit
{
    /// <summary>Decide from the header (e.g. <c>Time (ms)</c>) or, failing that, from the spacing of the first rows.</summary>
    Auto,
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,

    /// <summary>A local date-time such as <c>2016-02-25 14:23:56.293</c> (or ISO 8601 with <c>T</c>, optionally with an offset).</summary>
    Iso,
}

/// <summary>How acceleration values are written.</summary>
public enum AccelerationUnit
{
    /// <summary>Decide from the size of gravity in the first rows (about 1 = g, 1000 = mg, 9.8 = m/s², else raw counts).</summary>
    Auto,
    G,
    MilliG,
    MetresPerSecondSquared,

    /// <summary>Raw sensor counts; <see cref="RecordingOptions.CountsPerG"/> gives the scale.</summary>
    Counts,
}

/// <summary>Options for reading a recording; the defaults detect what they can and report what they decided.</summary>
public sealed record RecordingOptions
{
    /// <summary>How the time column is written.</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Auto;

    /// <summary>How acceleration values are written.</summary>
    public AccelerationUnit Units { get; init; } = AccelerationUnit.Auto;

    /// <summary>Raw counts per g, for <see cref="AccelerationUnit.Counts"/> (Bangle.js: 8192). Implies counts when set.</summary>
    public double? CountsPerG { get; init; }

    /// <summary>
    /// A sample rate to impose. When set, sample times are <c>index / rate</c> from the first timestamp and the time
    /// column (if any) is ignored; when null, the rate is measured from the timestamps.
    /// </summary>
    public double? RateHz { get; init; }

    /// <summary>
    /// Column names by position, for a CSV without a header (e.g. <c>time,-,x,y,z</c>; <c>-</c> skips a column).
    /// When null, the first line must be a header naming time and x/y/z (or a magnitude).
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>A jump forward in time longer than this is a gap: nothing is interpolated or counted across it.</summary>
    public TimeSpan GapThreshold { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How the device's axes lie in the wrist frame the classifier learned (Bangle.js: <c>-y,x,-z</c>).</summary>
    public AxisMap Axes { get; init; } = AxisMap.Identity;

    /// <summary>Samples per block handed to the pipeline.</summary>
    public int BlockSize { get; init; } = 4096;
}

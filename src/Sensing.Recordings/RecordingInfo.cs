using Sensing.Core;

namespace Sensing.Recordings;

/// <summary>What a reader decided about a recording: where it is, its clock, and how its values were read.</summary>
public sealed class RecordingInfo
{
    public RecordingInfo(string path) => Path = path;

    /// <summary>The path as it was given.</summary>
    public string Path { get; }

    /// <summary>What the timestamps count from.</summary>
    public RecordingClock Clock { get; set; } = RecordingClock.Relative;

    /// <summary>False when the recording holds only the magnitude of acceleration.</summary>
    public bool HasAxes { get; set; } = true;

    /// <summary>The time unit used (after detection).</summary>
    public TimeUnit TimeUnit { get; set; }

    /// <summary>The acceleration unit used (after detection).</summary>
    public AccelerationUnit Units { get; set; }

    /// <summary>Counts per g when <see cref="Units"/> is counts.</summary>
    public double CountsPerG { get; set; } = 1;

    /// <summary>
    /// The sample rate measured over the first rows (or given with --rate), known once the first block is read.
    /// Consumers size rate-dependent stages from it; <see cref="TimelineReport.MeasuredRateHz"/> is the whole-file figure.
    /// </summary>
    public double NominalRateHz { get; set; }

    /// <summary>Human-readable notes on what was detected or assumed (e.g. "units guessed: counts, 8192 per g").</summary>
    public List<string> Notes { get; } = [];
}

namespace Sensing.Recordings;

/// <summary>
/// What was wrong with a recording's clock and what was done about it. Nothing is averaged over silently:
/// each kind of anomaly is counted and its first locations kept.
/// </summary>
public sealed class TimelineReport
{
    private const int MaxLocations = 5;

    /// <summary>Samples whose time went backwards by less than the gap threshold (re-timed to just after the previous sample).</summary>
    public int BackwardSteps { get; internal set; }

    /// <summary>Times the clock went backwards by at least the gap threshold (treated as a gap: a restart of the clock).</summary>
    public int ClockResets { get; internal set; }

    /// <summary>Forward jumps longer than the gap threshold.</summary>
    public int Gaps { get; internal set; }

    /// <summary>Total time inside gaps, seconds.</summary>
    public double GapSeconds { get; internal set; }

    /// <summary>
    /// Stored units of the file (.cwa blocks) dropped because they failed an integrity check (checksum, truncation);
    /// their samples are missing and the rest of the file is kept. The first are located in <see cref="Locations"/>.
    /// </summary>
    public int CorruptUnits { get; internal set; }

    /// <summary>What a location counts: "line" for text formats, "block" for .cwa.</summary>
    public string LocationKind { get; init; } = "line";

    /// <summary>Samples missing inside short dropouts (an interval of 1.5 to gap-threshold times the typical one).</summary>
    public int DroppedSamples { get; internal set; }

    /// <summary>Where the first anomalies were, as "line N: what" (or "block N: what").</summary>
    public List<string> Locations { get; } = [];

    /// <summary>Samples read.</summary>
    public long Samples { get; internal set; }

    /// <summary>Sum of the sample intervals that were not gaps, microseconds (for the measured rate).</summary>
    public long ContinuousMicros { get; internal set; }

    /// <summary>Number of sample intervals that were not gaps.</summary>
    public long ContinuousIntervals { get; internal set; }

    /// <summary>First and last sample time after repair, microseconds.</summary>
    public long FirstMicros { get; internal set; }

    /// <summary>Last sample time after repair, microseconds.</summary>
    public long LastMicros { get; internal set; }

    /// <summary>
    /// The sample rate measured as intervals over time across continuous stretches. A mean, not a median: timestamps
    /// rounded to whole milliseconds (12, 13, 12, 13 ms at 80 Hz) average to the true period where a median would say 83 Hz.
    /// </summary>
    public double MeasuredRateHz => ContinuousMicros > 0 ? ContinuousIntervals * 1e6 / ContinuousMicros : 0;

    /// <summary>Duration from first to last sample, seconds (gaps included).</summary>
    public double DurationSeconds => Samples > 1 ? (LastMicros - FirstMicros) / 1e6 : 0;

    /// <summary>True when anything was repaired or a gap was found.</summary>
    public bool HasAnomalies => BackwardSteps + ClockResets + Gaps + CorruptUnits > 0;

    internal void Note(long line, string what)
    {
        if (Locations.Count < MaxLocations)
        {
            Locations.Add($"{LocationKind} {line}: {what}");
        }
    }

    /// <summary>One line for humans, e.g. "2 gaps (14.2 s), 1 backward step (first at line 10: ...)".</summary>
    public string Describe()
    {
        if (!HasAnomalies)
        {
            return "timeline clean";
        }

        var parts = new List<string>();
        if (CorruptUnits > 0)
        {
            parts.Add($"{CorruptUnits} corrupt {LocationKind}(s) skipped");
        }

        if (Gaps > 0)
        {
            parts.Add($"{Gaps} gap(s) totalling {GapSeconds:0.#} s");
        }

        if (BackwardSteps > 0)
        {
            parts.Add($"{BackwardSteps} backward step(s) re-timed");
        }

        if (ClockResets > 0)
        {
            parts.Add($"{ClockResets} clock reset(s) treated as gaps");
        }

        return string.Join(", ", parts) + (Locations.Count > 0 ? $" (first: {string.Join("; ", Locations)})" : string.Empty);
    }
}

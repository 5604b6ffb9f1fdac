using System.CommandLine;
using System.Globalization;
using Sensing.Core;
using Sensing.Recordings;

namespace Sensing.Cli.Commands;

/// <summary>The options every command that reads recordings shares (--time-unit, --units, --counts-per-g, --rate, --columns, --gap-seconds, --axes).</summary>
internal sealed class RecordingOptionsBinding
{
    public Option<string?> TimeUnit { get; } = new("--time-unit") { Description = "Time column unit: ms|s|us|ns|iso (default: detect from header or spacing)." };

    public Option<string?> Units { get; } = new("--units") { Description = "Acceleration unit: g|mg|ms2|counts (default: detect from gravity)." };

    public Option<double?> CountsPerG { get; } = new("--counts-per-g") { Description = "Raw counts per g (implies --units counts; Bangle.js: 8192)." };

    public Option<double?> Rate { get; } = new("--rate") { Description = "Impose a sample rate in Hz (sample times from sample order) instead of measuring it." };

    public Option<string?> Columns { get; } = new("--columns") { Description = "Column names for a file without header, e.g. time,-,x,y,z ('-' skips)." };

    public Option<string?> Axes { get; } = new("--axes")
    {
        Description = "How the device's axes lie in the wrist frame the classifier learned (AX3's): x,y,z signed, e.g. -y,x,-z, or a device: ax3 (default), banglejs.",
    };

    public Option<double?> GapSeconds { get; } = new("--gap-seconds") { Description = "A jump in time longer than this is a gap (default 2 s)." };

    public void AddTo(Command command)
    {
        command.Options.Add(TimeUnit);
        command.Options.Add(Units);
        command.Options.Add(CountsPerG);
        command.Options.Add(Rate);
        command.Options.Add(Columns);
        command.Options.Add(GapSeconds);
        command.Options.Add(Axes);
    }

    /// <exception cref="UsageException">An option value is not one the tool knows.</exception>
    public RecordingOptions Bind(ParseResult result)
    {
        var options = new RecordingOptions
        {
            TimeUnit = ParseTimeUnit(result.GetValue(TimeUnit)),
            Units = ParseUnits(result.GetValue(Units)),
            CountsPerG = result.GetValue(CountsPerG),
            RateHz = result.GetValue(Rate),
            Columns = result.GetValue(Columns)?.Split(',', StringSplitOptions.TrimEntries),
            Axes = ParseAxes(result.GetValue(Axes)),
        };

        if (options.CountsPerG is <= 0)
        {
            throw new UsageException($"--counts-per-g must be positive, got {options.CountsPerG}.");
        }

        if (options.RateHz is { } rate && (rate is < 1 or > 10_000 || double.IsNaN(rate)))
        {
            throw new UsageException($"--rate must be a sample rate in Hz between 1 and 10000, got {rate.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (result.GetValue(GapSeconds) is { } gap)
        {
            if (gap is <= 0 or > 3600)
            {
                throw new UsageException($"--gap-seconds must be in (0, 3600], got {gap}.");
            }

            options = options with { GapThreshold = TimeSpan.FromSeconds(gap) };
        }

        return options;
    }

    private static AxisMap ParseAxes(string? text)
        => text is null ? AxisMap.Identity
            : AxisMap.TryParse(text, out var map, out var error) ? map
            : throw new UsageException($"--axes '{text}': {error}.");

    private static TimeUnit ParseTimeUnit(string? text) => text?.ToLowerInvariant() switch
    {
        null or "auto" => Recordings.TimeUnit.Auto,
        "s" => Recordings.TimeUnit.Seconds,
        "ms" => Recordings.TimeUnit.Milliseconds,
        "us" => Recordings.TimeUnit.Microseconds,
        "ns" => Recordings.TimeUnit.Nanoseconds,
        "iso" => Recordings.TimeUnit.Iso,
        _ => throw new UsageException($"--time-unit '{text}' is not one of ms, s, us, ns, iso."),
    };

    private static AccelerationUnit ParseUnits(string? text) => text?.ToLowerInvariant() switch
    {
        null or "auto" => AccelerationUnit.Auto,
        "g" => AccelerationUnit.G,
        "mg" => AccelerationUnit.MilliG,
        "ms2" or "m/s2" or "m/s^2" => AccelerationUnit.MetresPerSecondSquared,
        "counts" => AccelerationUnit.Counts,
        _ => throw new UsageException($"--units '{text}' is not one of g, mg, ms2, counts."),
    };
}

/// <summary>A command line the tool cannot act on; printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

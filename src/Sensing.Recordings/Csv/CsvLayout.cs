namespace Sensing.Recordings.Csv;

/// <summary>Which CSV column holds what, worked out from a header or from <see cref="RecordingOptions.Columns"/>.</summary>
internal sealed class CsvLayout
{
    public char Delimiter { get; init; } = ',';

    public int Time { get; init; } = -1;

    public int X { get; init; } = -1;

    public int Y { get; init; } = -1;

    public int Z { get; init; } = -1;

    /// <summary>Column of a magnitude-only recording, or -1.</summary>
    public int Magnitude { get; init; } = -1;

    /// <summary>Time unit named by the header (e.g. <c>Time (ms)</c>, <c>timestamp_ns</c>), or Auto.</summary>
    public TimeUnit HeaderTimeUnit { get; init; } = TimeUnit.Auto;

    /// <summary>Acceleration unit named by the header (e.g. <c>x (g)</c>), or Auto.</summary>
    public AccelerationUnit HeaderUnits { get; init; } = AccelerationUnit.Auto;

    public bool HasAxes => X >= 0;

    /// <summary>The columns the reader parses.</summary>
    public IReadOnlyList<int> NeededColumns => field ??= [.. new[] { Time, X, Y, Z, Magnitude }.Where(c => c >= 0)]; // once: rows ask it

    /// <summary>The highest column index the reader needs; rows with fewer fields are malformed.</summary>
    public int LastNeeded => Math.Max(Time, Math.Max(Magnitude, Math.Max(X, Math.Max(Y, Z))));

    /// <summary>Maps header names (any order, any case) to columns.</summary>
    /// <exception cref="FormatException">A needed column is missing; the message lists what was found.</exception>
    public static CsvLayout FromNames(IReadOnlyList<string> names, char delimiter)
    {
        int time = -1, x = -1, y = -1, z = -1, magnitude = -1;
        var timeUnit = TimeUnit.Auto;
        var units = AccelerationUnit.Auto;
        for (var i = 0; i < names.Count; i++)
        {
            var (name, unit) = Split(names[i]);
            switch (Classify(name))
            {
                case 't' when time < 0:
                    time = i;
                    timeUnit = TimeUnitFrom(unit ?? SuffixUnit(name));
                    break;
                case 'x' when x < 0:
                    x = i;
                    units = AccelerationUnitFrom(unit);
                    break;
                case 'y' when y < 0:
                    y = i;
                    break;
                case 'z' when z < 0:
                    z = i;
                    break;
                case 'm' when magnitude < 0:
                    magnitude = i;
                    units = AccelerationUnitFrom(unit);
                    break;
            }
        }

        var hasAxes = x >= 0 && y >= 0 && z >= 0;
        if (!hasAxes && magnitude < 0)
        {
            var missing = string.Join(", ", new[] { (x, "x"), (y, "y"), (z, "z") }.Where(c => c.Item1 < 0).Select(c => c.Item2));
            throw new FormatException(
                $"no column for {missing} (and no magnitude column); header has [{string.Join(", ", names)}]. " +
                "Name the columns time,x,y,z (any order and case), or give --columns for a file without a header.");
        }

        if (time < 0)
        {
            throw new FormatException(
                $"no time column; header has [{string.Join(", ", names)}]. Name it time/timestamp, or give --rate HZ to use sample order.");
        }

        return new CsvLayout
        {
            Delimiter = delimiter,
            Time = time,
            X = hasAxes ? x : -1,
            Y = hasAxes ? y : -1,
            Z = hasAxes ? z : -1,
            Magnitude = hasAxes ? -1 : magnitude,
            HeaderTimeUnit = timeUnit,
            HeaderUnits = units,
        };
    }

    /// <summary>As <see cref="FromNames"/>, but a missing time column is fine when sample times come from a given rate.</summary>
    public static CsvLayout FromNamesAllowingNoTime(IReadOnlyList<string> names, char delimiter, bool rateGiven)
        => rateGiven && !names.Any(n => Classify(Split(n).Name) == 't')
            ? FromNames([.. names, "time"], delimiter).WithoutTime()
            : FromNames(names, delimiter);

    /// <summary>The same columns with no time read: sample times come from a rate and a start.</summary>
    public CsvLayout WithoutTime() => new()
    {
        Delimiter = Delimiter, Time = -1, X = X, Y = Y, Z = Z, Magnitude = Magnitude,
        HeaderTimeUnit = HeaderTimeUnit, HeaderUnits = HeaderUnits,
    };

    private static (string Name, string? Unit) Split(string raw)
    {
        var text = raw.Trim().Trim('"', '\'').Trim().ToLowerInvariant();
        var open = text.IndexOfAny(['(', '[']);
        if (open < 0)
        {
            return (text, null);
        }

        var close = text.IndexOfAny([')', ']'], open);
        var unit = close > open ? text[(open + 1)..close].Trim() : text[(open + 1)..].Trim();
        return (text[..open].Trim(), unit);
    }

    // 't' time, 'x'/'y'/'z' an axis, 'm' magnitude, '\0' anything else.
    private static char Classify(string name)
    {
        var bare = new string(name.Where(char.IsLetterOrDigit).ToArray());
        if (bare is "time" or "timestamp" or "t" or "ts" or "datetime" or "date" ||
            bare.StartsWith("time", StringComparison.Ordinal) || bare.StartsWith("timestamp", StringComparison.Ordinal))
        {
            return 't';
        }

        // "gF" is the g-force of phone sensor apps (Physics Toolbox: time,gFx,gFy,gFz,TgF).
        foreach (var prefix in (string[])["accelerometer", "acceleration", "accel", "acc", "gf", "a"])
        {
            if (bare.Length == prefix.Length + 1 && bare.StartsWith(prefix, StringComparison.Ordinal))
            {
                bare = bare[prefix.Length..];
                break;
            }
        }

        if (bare.EndsWith("axis", StringComparison.Ordinal))
        {
            bare = bare[..^4];
        }

        return bare switch
        {
            "x" => 'x',
            "y" => 'y',
            "z" => 'z',
            "magnitude" or "mag" or "vm" or "norm" or "vectormagnitude" => 'm',
            _ => '\0',
        };
    }

    private static string? SuffixUnit(string name)
    {
        var underscore = name.LastIndexOf('_');
        return underscore > 0 ? name[(underscore + 1)..] : null;
    }

    private static TimeUnit TimeUnitFrom(string? unit) => unit switch
    {
        "s" or "sec" or "secs" or "seconds" => TimeUnit.Seconds,
        "ms" or "msec" or "millis" or "milliseconds" => TimeUnit.Milliseconds,
        "us" or "µs" or "micros" or "microseconds" => TimeUnit.Microseconds,
        "ns" or "nanos" or "nanoseconds" => TimeUnit.Nanoseconds,
        _ => TimeUnit.Auto,
    };

    private static AccelerationUnit AccelerationUnitFrom(string? unit) => unit switch
    {
        "g" => AccelerationUnit.G,
        "mg" => AccelerationUnit.MilliG,
        "m/s^2" or "m/s2" or "m/s²" or "ms2" or "ms^-2" or "m s^-2" => AccelerationUnit.MetresPerSecondSquared,
        _ => AccelerationUnit.Auto,
    };
}

using System.Globalization;

namespace Sensing.Storage.Influx;

/// <summary>
/// Quoting for the few InfluxQL texts built from configuration (names of databases, RPs, CQs, durations).
/// Values from users are never spliced into queries: they go in bound <c>params</c>.
/// </summary>
public static class InfluxQl
{
    /// <summary>A double-quoted identifier with <c>"</c> and <c>\</c> escaped.</summary>
    /// <exception cref="ArgumentException">Empty, or holding a line break.</exception>
    public static string Identifier(string name)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"InfluxQL identifier '{name}' is empty or holds a line break.", nameof(name));
        }

        return "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>An InfluxQL duration literal (<c>INF</c> for zero, else whole weeks, days, hours, minutes or seconds).</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "INF";
        }

        var seconds = (long)duration.TotalSeconds;
        return seconds switch
        {
            _ when seconds % (7 * 86400) == 0 => (seconds / (7 * 86400)).ToString(CultureInfo.InvariantCulture) + "w",
            _ when seconds % 86400 == 0 => (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d",
            _ when seconds % 3600 == 0 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h",
            _ when seconds % 60 == 0 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m",
            _ => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        };
    }

    /// <summary>Parses a Go duration as InfluxDB prints it (<c>336h0m0s</c>, <c>0s</c> = infinite).</summary>
    public static TimeSpan ParseGoDuration(string text)
    {
        var total = TimeSpan.Zero;
        var number = 0L;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = number * 10 + (c - '0');
                continue;
            }

            total += c switch
            {
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => throw new FormatException($"Unexpected '{c}' in duration '{text}'."),
            };
            number = 0;
        }

        return total;
    }
}

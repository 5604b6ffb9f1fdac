using System.Globalization;
using Sensing.Core;

namespace Sensing.Recordings.Csv;

/// <summary>
/// The two lines above an Empatica E4 wristband's <c>ACC.csv</c>: the session's start (Unix seconds, UTC) and the
/// sample rate, each repeated once per axis; the rows after them are x, y, z in 1/64 g (±2 g).
/// </summary>
internal static class EmpaticaHeader
{
    private const double CountsPerG = 64;

    /// <summary>
    /// True for a first line of one Unix time (2001-2100), repeated once per axis (an <c>ACC.csv</c>: no row of
    /// acceleration is that) or alone (one of the E4's one-channel files: BVP, EDA, TEMP, HR).
    /// </summary>
    public static bool Starts(string line) => IsUnixTime(Repeated(line)) || IsUnixTime(Single(line));

    /// <summary>Reads the rate line after the start line <paramref name="first"/>.</summary>
    /// <exception cref="RecordingFormatException">A one-channel file, or a second line that is not a rate repeated three times.</exception>
    public static ExportHeader Read(string first, TextReader text, string path, ref long line)
    {
        if (Repeated(first) is not { } start)
        {
            throw new RecordingFormatException(path, line,
                $"an Empatica E4 file of one channel (its start time alone on the first line: {first.Trim()}), not acceleration; the wristband's accelerometer is in its ACC.csv");
        }

        var second = text.ReadLine();
        line++;
        var rate = second is null ? null : Repeated(second);
        if (rate is not (> 0 and <= 10_000))
        {
            throw new RecordingFormatException(path, line,
                $"the first line is an Empatica E4 start time ({start:0}), but this line is not its sample rate repeated per axis: '{second}'");
        }

        return new ExportHeader("Empatica E4", rate.Value, start * 1e6, RecordingClock.UnixUtc, ["x", "y", "z"], CountsPerG);
    }

    private static bool IsUnixTime(double? seconds) => seconds is > 978_307_200 and < 4_102_444_800;

    private static double? Single(string line)
        => double.TryParse(line.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    // The number a line of three equal numbers repeats, or null.
    private static double? Repeated(string line)
    {
        var fields = line.Split(',');
        if (fields.Length != 3)
        {
            return null;
        }

        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(fields[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values[0] == values[1] && values[1] == values[2] ? values[0] : null;
    }
}

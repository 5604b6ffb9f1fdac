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

    /// <summary>True for a first line of one Unix time (2001-2100) repeated three times: no row of acceleration is that.</summary>
    public static bool Starts(string line) => Repeated(line) is > 978_307_200 and < 4_102_444_800;

    /// <summary>
    /// True for the first line of an E4 file of one channel (BVP, EDA, TEMP, HR: its start time alone), which is no
    /// acceleration.
    /// </summary>
    public static bool StartsOneChannel(string line)
        => double.TryParse(line.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var start) && start is > 978_307_200 and < 4_102_444_800;

    /// <summary>Reads the rate line after the start line <paramref name="first"/>.</summary>
    /// <exception cref="RecordingFormatException">The second line is not a rate repeated three times.</exception>
    public static ExportHeader Read(string first, TextReader text, string path, ref long line)
    {
        var start = Repeated(first)!.Value;
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

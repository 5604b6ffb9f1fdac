using System.Globalization;

namespace Sensing.Recordings.Csv;

/// <summary>
/// Headerless files whose first line alone says what their columns are, as the software that wrote them lays them out.
/// Any other headerless file needs <c>--columns</c>.
/// </summary>
internal static class HeaderlessLayout
{
    /// <summary>The column names for a headerless first line of a known shape, and the note that says so; null for any other.</summary>
    public static (string[] Names, string Note)? Recognise(string[] fields)
    {
        if (IsAndroidSensorRow(fields))
        {
            return (["time", "_skip", "x", "y", "z"],
                "no header: read as an Android sensor log (timestamp, accuracy 0-3, x, y, z); name the columns with --columns to read it otherwise");
        }

        if (IsDatedXyzRow(fields))
        {
            return (["time", "x", "y", "z"],
                "no header: read as time,x,y,z (a date-time and three numbers, as OMGUI and cwa-convert export); name the columns with --columns to read it otherwise");
        }

        return null;
    }

    // The rows an Android app logs from a SensorEvent (the Oxford step data set's, among others): a whole-number
    // timestamp, the accuracy status (SensorManager's 0-3) and the three axes.
    private static bool IsAndroidSensorRow(string[] fields)
        => fields.Length == 5
           && long.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
           && int.TryParse(fields[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var accuracy) && accuracy is >= 0 and <= 3
           && fields[2..].All(IsNumber);

    // A date-time then three numbers: nothing but the time can be a date, and three numbers beside it are the axes.
    private static bool IsDatedXyzRow(string[] fields)
        => fields.Length == 4
           && !IsNumber(fields[0]) && CsvRecordingReader.TryParseDate(fields[0].AsSpan().Trim().Trim('"'), out _, out _)
           && fields[1..].All(IsNumber);

    private static bool IsNumber(string field) => double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}

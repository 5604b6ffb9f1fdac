using System.Globalization;
using System.Text.RegularExpressions;
using Sensing.Core;

namespace Sensing.Recordings.Csv;

/// <summary>
/// The ten lines ActiLife writes above the columns of an ActiGraph CSV export (GT3X+, wGT3X-BT, CentrePoint): the
/// sample rate, the start (device-local wall clock) and the date format they are written in. Raw files carry no
/// per-row time, or a Timestamp that ActiLife computed from the same start and rate (in a date format of the user's
/// choosing), so the preamble's two give the times.
/// </summary>
internal static partial class ActiGraphPreamble
{
    private const int MaxLines = 20;

    /// <summary>True for the first line of such a preamble.</summary>
    public static bool Starts(string line) => line.TrimStart('-', ' ').StartsWith("Data File Created By ActiGraph", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the preamble after its <paramref name="first"/> line, up to and including its closing line of dashes.</summary>
    /// <exception cref="RecordingFormatException">No rate, no start, an epoch (counts) file, or no end of the preamble.</exception>
    public static ExportHeader Read(string first, TextReader text, string path, ref long line)
    {
        var firstLine = line;
        var rate = RateText().Match(first) is { Success: true } r ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : (double?)null;
        var dateFormat = DateFormatText().Match(first) is { Success: true } f ? f.Groups[1].Value : "M/d/yyyy";
        string? startTime = null, startDate = null;
        for (var read = 0; ; read++)
        {
            var next = text.ReadLine();
            line++;
            if (next is null || read == MaxLines)
            {
                throw new RecordingFormatException(path, firstLine, "an ActiGraph header that does not end in a line of dashes before the columns");
            }

            next = next.Trim();
            if (next.Length >= 10 && next.All(c => c == '-'))
            {
                break;
            }

            if (next.StartsWith("Start Time", StringComparison.OrdinalIgnoreCase))
            {
                startTime = next["Start Time".Length..].Trim();
            }
            else if (next.StartsWith("Start Date", StringComparison.OrdinalIgnoreCase))
            {
                startDate = next["Start Date".Length..].Trim();
            }
            else if (next.StartsWith("Epoch Period", StringComparison.OrdinalIgnoreCase) && EpochText().Match(next) is { Success: true } epoch
                     && epoch.Groups[1].Value != "00:00:00")
            {
                throw new RecordingFormatException(path, line,
                    $"an ActiGraph epoch file (activity counts per {epoch.Groups[1].Value}), not raw acceleration; export the raw data (ActiLife: File > Export > Raw)");
            }
        }

        if (rate is not > 0)
        {
            throw new RecordingFormatException(path, firstLine, "an ActiGraph header without its sample rate ('at N Hz')");
        }

        if (startDate is null || startTime is null || !DateTime.TryParseExact($"{startDate} {startTime}", $"{dateFormat} H:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces, out var start))
        {
            throw new RecordingFormatException(path, firstLine,
                $"an ActiGraph header whose start ('Start Date {startDate}', 'Start Time {startTime}') does not read in its date format {dateFormat}");
        }

        return new ExportHeader("ActiGraph CSV", rate.Value, (start.Ticks - DateTime.UnixEpoch.Ticks) / 10.0, RecordingClock.LocalUnspecified);
    }

    [GeneratedRegex(@"\bat\s+(\d+(?:\.\d+)?)\s*Hz", RegexOptions.IgnoreCase)]
    private static partial Regex RateText();

    [GeneratedRegex(@"date format\s+(\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex DateFormatText();

    [GeneratedRegex(@"(\d{2}:\d{2}:\d{2})")]
    private static partial Regex EpochText();
}

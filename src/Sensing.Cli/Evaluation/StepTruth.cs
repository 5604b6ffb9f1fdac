using System.Globalization;
using System.IO.Compression;

namespace Sensing.Cli.Evaluation;

/// <summary>Ground truth for one recording: a total, and where known the time of every true step.</summary>
internal sealed record StepTruth(string Path, string Display, long ExpectedSteps, string Group, IReadOnlyList<long>? StepMicros = null)
{
    /// <summary>Reads a manifest (<c>file,expected_steps[,reference_kind,...]</c>); files are relative to the manifest.</summary>
    /// <exception cref="InvalidDataException">A row is malformed; the message names the manifest and line.</exception>
    public static List<StepTruth> FromManifest(string manifest)
    {
        var lines = File.ReadAllLines(manifest);
        if (lines.Length == 0)
        {
            return [];
        }

        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var file = header.IndexOf("file");
        var expected = header.IndexOf("expected_steps");
        var kind = header.IndexOf("reference_kind");
        if (file < 0 || expected < 0)
        {
            throw new InvalidDataException($"{manifest}:1: a manifest needs the columns file and expected_steps; found [{lines[0]}].");
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(manifest))!;
        var truths = new List<StepTruth>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var cells = lines[i].Split(',');
            if (cells.Length <= Math.Max(file, expected) || !long.TryParse(cells[expected], NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps))
            {
                throw new InvalidDataException($"{manifest}:{i + 1}: expected a file name and a whole number of steps, got '{lines[i]}'.");
            }

            var group = kind >= 0 && kind < cells.Length ? cells[kind] : steps == 0 ? "no steps" : "steps";
            truths.Add(new StepTruth(System.IO.Path.Combine(folder, cells[file]), cells[file], steps, group));
        }

        return truths;
    }

    /// <summary>
    /// Recordings in a folder whose truth travels with them: a <c>Steps</c> column on the first data row, or a
    /// <c>stepcounter.csv[.gz]</c> beside an <c>accelerometer.csv[.gz]</c>: the Oxford foot-switch log (see <see cref="HeelStrikes"/>).
    /// </summary>
    public static List<StepTruth> FromFolder(string folder)
    {
        var truths = new List<StepTruth>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(path);
            var display = System.IO.Path.Combine(folder, System.IO.Path.GetRelativePath(folder, path));
            if (OxfordRecordings.Contains(name))
            {
                if (Beside(path, FootSwitchLogs) is { } truthFile)
                {
                    var origin = FirstNumber(path);
                    var steps = HeelStrikes(ReadLines(truthFile)).Select(t => (t - origin) / 1000).ToList();
                    truths.Add(new StepTruth(path, display, steps.Count, "per-step truth", steps));
                }
            }
            else if (name.EndsWith(".csv", StringComparison.Ordinal) && StepsColumn(path) is { } total)
            {
                var group = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? "steps";
                truths.Add(new StepTruth(path, display, total, group));
            }
        }

        return truths;
    }

    /// <summary>
    /// True for an Oxford foot-switch log beside its recording: the recording's step truth, not a recording of its own.
    /// </summary>
    public static bool IsFootSwitchLog(string path) => FootSwitchLogs.Contains(System.IO.Path.GetFileName(path)) && Beside(path, OxfordRecordings) is not null;

    // The Oxford data set's pair of files in one trace's folder.
    private static readonly string[] OxfordRecordings = ["accelerometer.csv.gz", "accelerometer.csv"];
    private static readonly string[] FootSwitchLogs = ["stepcounter.csv.gz", "stepcounter.csv"];

    private static string? Beside(string path, string[] names)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        return names.Select(n => System.IO.Path.Combine(folder, n)).FirstOrDefault(File.Exists);
    }

    private static long? StepsColumn(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var index = header?.IndexOf("steps") ?? -1;
        var first = reader.ReadLine()?.Split(',');
        return index >= 0 && first is not null && index < first.Length && long.TryParse(first[index], out var steps) ? steps : null;
    }

    /// <summary>
    /// The heel strikes in an Oxford <c>stepcounter.csv</c>: each row samples two foot switches
    /// (<c>timestamp_ns,left,right</c>, 1 = foot on the ground, about 11 rows per second), so a heel strike is a
    /// switch going from 0 to 1, not a row.
    /// </summary>
    internal static IEnumerable<long> HeelStrikes(IEnumerable<string> lines)
    {
        int? left = null, right = null;
        foreach (var line in lines)
        {
            var cells = line.Split(',');
            if (cells.Length < 3 || !long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var time)
                || !int.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                || !int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r))
            {
                continue;
            }

            if ((left == 0 && l == 1) || (right == 0 && r == 1))
            {
                yield return time;
            }

            left = l;
            right = r;
        }
    }

    private static long FirstNumber(string path)
    {
        var line = ReadLines(path).FirstOrDefault(l => l.Length > 0 && char.IsDigit(l[0])) ?? "0";
        return long.Parse(line.Split(',')[0], CultureInfo.InvariantCulture);
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using Stream file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}

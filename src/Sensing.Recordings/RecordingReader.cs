using System.IO.Compression;
using Sensing.Recordings.Csv;

namespace Sensing.Recordings;

/// <summary>Opens a recording by its file name: <c>.csv</c>, <c>.csv.gz</c> (and any <c>.gz</c> CSV), <c>.cwa</c>.</summary>
public static class RecordingReader
{
    /// <summary>True for file names this reader opens (used when a folder is searched for recordings).</summary>
    public static bool IsRecording(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".csv.gz", StringComparison.Ordinal) ||
               name.EndsWith(".cwa", StringComparison.Ordinal);
    }

    /// <summary>Opens a recording for streaming.</summary>
    /// <exception cref="RecordingFormatException">The file is missing, unreadable or of an unknown kind.</exception>
    public static IRecordingReader Open(string path, RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reader = OpenInDeviceFrame(path, options);
        if (options.Axes.IsIdentity)
        {
            return reader;
        }

        reader.Info.Notes.Add($"axes mapped to the wrist frame: {options.Axes}");
        return new AxisMappedReader(reader, options.Axes);
    }

    private static IRecordingReader OpenInDeviceFrame(string path, RecordingOptions options)
    {
        if (Directory.Exists(path))
        {
            throw new RecordingFormatException(path, 0, DescribeFolder(path));
        }

        if (!File.Exists(path))
        {
            throw new RecordingFormatException(path, 0, "file not found");
        }

        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RecordingFormatException(path, 0, $"cannot open: {ex.Message}");
        }

        var name = path.ToLowerInvariant();
        if (name.EndsWith(".cwa", StringComparison.Ordinal))
        {
            return CwaReaderFactory.Open(path, stream, options);
        }

        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new CsvRecordingReader(path, new StreamReader(stream, bufferSize: 1 << 16), options);
    }

    // A folder given where a recording was expected (replay reaches this with a folder that holds none): say what it
    // holds, so that a wrong folder, or a format not read here (GENEActiv .bin, ActiGraph .gt3x), shows.
    private static string DescribeFolder(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var recordings = files.Count(IsRecording);
        if (recordings > 0)
        {
            return $"a folder, not a recording (it holds {recordings} recording(s))";
        }

        var names = files.Select(f => Path.GetFileName(f)).ToList();
        var holds = names.Count switch
        {
            0 => "it holds no files",
            <= 5 => $"it holds {names.Count} other file(s): {string.Join(", ", names)}",
            _ => $"it holds {names.Count} other files: {string.Join(", ", names.Take(5))}, ...",
        };
        return $"a folder with no recordings in it or below (.csv, .csv.gz, .cwa); {holds}";
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text;
using Sensing.Testing;

namespace Sensing.Recordings.Tests.Csv;

/// <summary>Small CSV recordings written into a temporary folder for one test class.</summary>
public abstract class CsvFiles : IDisposable
{
    private readonly TempFolder _folder = new("csv-reader");

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes the lines (header first, if any) to a file; <c>.gz</c> names are gzip-compressed.</summary>
    protected string Write(string name, IEnumerable<string> lines)
    {
        var path = _folder.File(name);
        var text = string.Join("\n", lines) + "\n";
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        else
        {
            File.WriteAllText(path, text);
        }

        return path;
    }

    protected string Write(string name, string header, IEnumerable<string> rows) => Write(name, rows.Prepend(header));

    /// <summary>n rows of "time,x,y,z" with time = i × step in the given unit and a wrist at rest (about 1 g on z).</summary>
    protected static IEnumerable<string> Rows(int n, Func<int, string> time, double scale = 1)
        => Enumerable.Range(0, n).Select(i => $"{time(i)},{F(Ax(i) * scale)},{F(-0.2 * scale)},{F(0.97 * scale)}");

    /// <summary>The x value of row i in g: small, distinct per row.</summary>
    protected static double Ax(int i) => (i % 50) / 1000.0;

    protected static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected static RecordedSamples Read(string path, RecordingOptions? options = null, int blockSize = 4096)
        => RecordedSamples.ReadAll(path, options, blockSize);

    protected static IRecordingReader Open(string path, RecordingOptions? options = null)
        => RecordingReader.Open(path, options ?? new RecordingOptions());

    /// <summary>Every time interval, microseconds.</summary>
    protected static IEnumerable<long> Intervals(RecordedSamples samples) => samples.Time.Zip(samples.Time.Skip(1), (a, b) => b - a);
}

using Sensing.Recordings.Cwa;

namespace Sensing.Recordings;

/// <summary>Opens an Axivity <c>.cwa</c> file (see <see cref="CwaRecordingReader"/>).</summary>
internal static class CwaReaderFactory
{
    /// <exception cref="RecordingFormatException">Not a .cwa file, or its header is cut short.</exception>
    public static IRecordingReader Open(string path, Stream stream, RecordingOptions options)
        => new CwaRecordingReader(path, stream, options);
}

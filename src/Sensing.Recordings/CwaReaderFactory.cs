namespace Sensing.Recordings;

// The .cwa (Axivity) reader is added in Cwa/; until then a .cwa file is refused with a clear message.
internal static partial class CwaReaderFactory
{
    public static IRecordingReader Open(string path, Stream stream, RecordingOptions options)
    {
        stream.Dispose();
        _ = options;
        throw new RecordingFormatException(path, 0, ".cwa files are not supported by this build");
    }
}

using Sensing.Core;
using Sensing.Recordings;

namespace Sensing.Simulator;

/// <summary>
/// Plays back a recording as the simulated wristband's sensor. Samples are taken in file order at the device's own
/// rate (the file's timestamps are not used): play a file recorded at the rate the device is set to.
/// </summary>
public sealed class RecordingSampleSource : ISampleSource, IDisposable
{
    private readonly IRecordingReader _reader;

    /// <summary>Opens <paramref name="path"/> with <see cref="RecordingReader.Open"/>.</summary>
    /// <exception cref="RecordingFormatException">The file is malformed.</exception>
    public RecordingSampleSource(string path, RecordingOptions? options = null)
    {
        _reader = RecordingReader.Open(path, options ?? new RecordingOptions());
    }

    /// <inheritdoc />
    public int Read(SampleBlock block) => _reader.ReadBlock(block) ? block.Count : 0;

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}

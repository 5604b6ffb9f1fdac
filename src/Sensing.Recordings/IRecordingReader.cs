using Sensing.Core;

namespace Sensing.Recordings;

/// <summary>
/// Streams a recording as blocks of timestamped 3-axis samples in g, never holding the whole file in memory.
/// Timestamps handed out are non-decreasing: the reader repairs and reports what the file got wrong (see <see cref="Timeline"/>).
/// </summary>
public interface IRecordingReader : IDisposable
{
    /// <summary>What the reader found out about the recording (columns, units, clock); complete once the first block is read.</summary>
    RecordingInfo Info { get; }

    /// <summary>Time anomalies met so far: backward steps, gaps, and the measured sample rate.</summary>
    TimelineReport Timeline { get; }

    /// <summary>Clears <paramref name="block"/> and fills it with up to its capacity of samples.</summary>
    /// <returns>False when the recording has no more samples (the block is then empty).</returns>
    /// <exception cref="RecordingFormatException">The file is malformed; the message names the file and line.</exception>
    bool ReadBlock(SampleBlock block);
}

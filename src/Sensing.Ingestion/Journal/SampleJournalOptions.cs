namespace Sensing.Ingestion.Journal;

/// <summary>Where the sample journal lives and how it commits.</summary>
public sealed class SampleJournalOptions
{
    /// <summary>The journal directory (created when missing). One worker process per directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Segment size before a new file is started. Default 64 MiB.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>
    /// How long closed segments are kept. A restart rebuilds each band's pipeline from what is kept, so a restart
    /// reproduces the stream exactly only within this horizon (see the README). Default 26 hours.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(26);

    /// <summary>
    /// Longest a record waits for its group commit. Appends within this window share one fsync. Default 20 ms:
    /// far inside the 1 s acknowledgement budget, and about 50 fsyncs a second whatever the number of bands.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>False skips fsync (survives kill -9, not power loss): for benchmarks of everything else.</summary>
    public bool Fsync { get; init; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("The sample journal needs a directory (Journal:Directory).", nameof(Directory));
        }

        if (SegmentBytes < 1 << 20 || CommitInterval <= TimeSpan.Zero || CommitInterval > TimeSpan.FromSeconds(1) || Retention < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException(
                $"Journal settings out of range: SegmentBytes {SegmentBytes} (>= 1 MiB), CommitInterval {CommitInterval} (0..1 s), Retention {Retention} (>= 1 min).");
        }
    }
}

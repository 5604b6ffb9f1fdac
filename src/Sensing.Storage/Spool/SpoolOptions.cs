namespace Sensing.Storage.Spool;

/// <summary>Where and how big the on-disk spool is.</summary>
public sealed class SpoolOptions
{
    /// <summary>The spool directory (created when missing). One writer process per directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Bound on bytes held; when reached, producers wait. Default 1 GiB (about 15 million minute points).</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>Segment file size; a segment is deleted once all its records are written. Default 64 MiB, at most a quarter of <see cref="MaxBytes"/>.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>The segment size used: <see cref="SegmentBytes"/>, but no more than a quarter of <see cref="MaxBytes"/> so space is freed in steps.</summary>
    public long EffectiveSegmentBytes => Math.Max(64L << 10, Math.Min(SegmentBytes, MaxBytes / 4));

    /// <summary>When an append counts as durable; default <see cref="SpoolDurability.Fsync"/>.</summary>
    public SpoolDurability Durability { get; init; } = SpoolDurability.Fsync;

    /// <summary>Checks the settings without touching the disk.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Spool directory is required.", nameof(Directory));
        }

        if (MaxBytes < 1 << 20)
        {
            throw new ArgumentException($"Spool MaxBytes {MaxBytes} is below the 1 MiB minimum.", nameof(MaxBytes));
        }

        if (SegmentBytes < 64 << 10)
        {
            throw new ArgumentException($"Spool SegmentBytes {SegmentBytes} is below the 64 KiB minimum.", nameof(SegmentBytes));
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentException($"Unknown spool durability {Durability}.", nameof(Durability));
        }
    }
}

namespace Sensing.Storage.Spool;

/// <summary>
/// A spool segment failed its checksum somewhere other than the torn tail a crash leaves. The message names the
/// file and offset and what to do; nothing is silently skipped.
/// </summary>
public sealed class SpoolCorruptException : IOException
{
    public SpoolCorruptException(string file, long offset, string detail)
        : base($"Spool segment '{file}' is corrupt at byte {offset} ({detail}). Records before that offset were written already " +
               $"or are intact; to start anyway, move '{file}' out of the spool directory (its records from byte {offset} on are then lost).")
    {
        File = file;
        Offset = offset;
    }

    /// <summary>The damaged segment file.</summary>
    public string File { get; }

    /// <summary>Byte offset of the first bad record in <see cref="File"/>.</summary>
    public long Offset { get; }
}

namespace Sensing.Ingestion.Journal;

/// <summary>A journal segment is damaged somewhere other than the torn tail of the newest one.</summary>
public sealed class JournalCorruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> at <paramref name="offset"/>.</summary>
    public JournalCorruptException(string path, long offset, string problem)
        : base($"Sample journal {path} is damaged at offset {offset}: {problem}. The worker cannot rebuild its bands' streams past it; " +
               $"move the file aside (the bands' unacknowledged data is still in their flash) and start again.")
    {
        Path = path;
        Offset = offset;
    }

    /// <summary>The damaged segment.</summary>
    public string Path { get; }

    /// <summary>Offset of the bad record in it.</summary>
    public long Offset { get; }
}

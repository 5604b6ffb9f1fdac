using System.Text;

namespace Sensing.Ingestion.Journal;

/// <summary>One record read back from the journal; the spans are valid only during the callback.</summary>
public readonly ref struct JournalEntry
{
    internal JournalEntry(ReadOnlySpan<byte> body)
    {
        Kind = (JournalRecordKind)body[0];
        BandKey = body.Slice(2, body[1]);
        Payload = body[(2 + body[1])..];
    }

    /// <summary>What the record says.</summary>
    public JournalRecordKind Kind { get; }

    /// <summary>The band id, ASCII.</summary>
    public ReadOnlySpan<byte> BandKey { get; }

    /// <summary>The kind's payload.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The band id as a string.</summary>
    public string BandId => Encoding.ASCII.GetString(BandKey);
}

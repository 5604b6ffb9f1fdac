using System.Buffers.Binary;

namespace Sensing.Ingestion.Journal;

/// <summary>Why samples are missing from a band's stream (journal <see cref="JournalRecordKind.LostRange"/>).</summary>
public enum LossReason : byte
{
    /// <summary>The band no longer stores them (freed, or dropped when its flash was full).</summary>
    NotStored = 1,

    /// <summary>They precede the gateway's first contact with the band and are no longer stored.</summary>
    BeforeFirstContact = 2,
}

/// <summary>Fixed-layout payloads of the non-sample journal records (little-endian).</summary>
internal static class JournalPayloads
{
    public const int ClockObservationBytes = 13;
    public const int LostRangeBytes = 10;
    public const int PositionBytes = 5;

    public static void WriteClockObservation(Span<byte> p, byte boot, uint tick, long unixMicros)
    {
        p[0] = boot;
        BinaryPrimitives.WriteUInt32LittleEndian(p[1..], tick);
        BinaryPrimitives.WriteInt64LittleEndian(p[5..], unixMicros);
    }

    public static (byte Boot, uint Tick, long UnixMicros) ReadClockObservation(ReadOnlySpan<byte> p)
        => (p[0], BinaryPrimitives.ReadUInt32LittleEndian(p[1..]), BinaryPrimitives.ReadInt64LittleEndian(p[5..]));

    public static void WriteLostRange(Span<byte> p, byte boot, uint first, uint count, LossReason reason)
    {
        p[0] = boot;
        BinaryPrimitives.WriteUInt32LittleEndian(p[1..], first);
        BinaryPrimitives.WriteUInt32LittleEndian(p[5..], count);
        p[9] = (byte)reason;
    }

    public static (byte Boot, uint First, uint Count, LossReason Reason) ReadLostRange(ReadOnlySpan<byte> p)
        => (p[0], BinaryPrimitives.ReadUInt32LittleEndian(p[1..]), BinaryPrimitives.ReadUInt32LittleEndian(p[5..]), (LossReason)p[9]);

    /// <summary>A stream position (boot, sample index): <see cref="JournalRecordKind.StreamStart"/> and <see cref="JournalRecordKind.BootFinished"/>.</summary>
    public static void WritePosition(Span<byte> p, byte boot, uint index)
    {
        p[0] = boot;
        BinaryPrimitives.WriteUInt32LittleEndian(p[1..], index);
    }

    public static (byte Boot, uint Index) ReadPosition(ReadOnlySpan<byte> p) => (p[0], BinaryPrimitives.ReadUInt32LittleEndian(p[1..]));
}

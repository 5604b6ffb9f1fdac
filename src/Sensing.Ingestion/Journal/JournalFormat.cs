using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sensing.Ingestion.Journal;

/// <summary>
/// One journal record on disk: <c>[u32 body length][u32 CRC-32 of body][body]</c>, body
/// <c>[u8 kind][u8 band id length][band id, ASCII][payload]</c>. Little-endian.
/// </summary>
internal static class JournalFormat
{
    public const int PrefixBytes = 8;

    /// <summary>Band ids are at most 64 characters (<c>WristbandSeries</c>) and payloads at most one frame.</summary>
    public const int MaxBodyBytes = 2 + 64 + 256;

    public static int RecordBytes(int bandKeyLength, int payloadLength) => PrefixBytes + 2 + bandKeyLength + payloadLength;

    public static void Write(Span<byte> destination, JournalRecordKind kind, ReadOnlySpan<byte> bandKey, ReadOnlySpan<byte> payload)
    {
        var body = destination[PrefixBytes..RecordBytes(bandKey.Length, payload.Length)];
        body[0] = (byte)kind;
        body[1] = (byte)bandKey.Length;
        bandKey.CopyTo(body[2..]);
        payload.CopyTo(body[(2 + bandKey.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32.HashToUInt32(body));
    }

    /// <summary>Checks a record's body; null when it is sound, else what is wrong.</summary>
    public static string? Validate(ReadOnlySpan<byte> body, uint crc)
    {
        if (Crc32.HashToUInt32(body) != crc)
        {
            return "CRC mismatch";
        }

        if (body.Length < 2 || body[1] == 0 || 2 + body[1] > body.Length)
        {
            return "band id length out of range";
        }

        return Enum.IsDefined((JournalRecordKind)body[0]) ? null : $"unknown record kind {body[0]}";
    }
}

using System.Buffers.Binary;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Spool;

/// <summary>
/// The on-disk record: <c>[u32 bodyLength][u32 crc32c(body)]</c> then the body
/// <c>[u32 lineCount][u8 precision][u8 rpLength][rp UTF-8][line protocol]</c>, little-endian. A record is valid
/// only when its length is sane, it fits the file, and its CRC matches: that is how a torn tail is recognised.
/// </summary>
internal static class SpoolRecordFormat
{
    public const int PrefixBytes = 8;
    public const int BodyHeaderBytes = 6;
    public const int MaxBodyBytes = 256 << 20;

    public static int HeaderBytes(int rpLength) => PrefixBytes + BodyHeaderBytes + rpLength;

    /// <summary>Fills <paramref name="header"/> (sized by <see cref="HeaderBytes"/>) for a record of <paramref name="lines"/>.</summary>
    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> retentionPolicy, ReadOnlySpan<byte> lines, int lineCount, WritePrecision precision)
    {
        var body = header[PrefixBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)lineCount);
        body[4] = (byte)precision;
        body[5] = (byte)retentionPolicy.Length;
        retentionPolicy.CopyTo(body[BodyHeaderBytes..]);
        var crc = Crc32C.Compute(lines, Crc32C.Compute(body));
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(body.Length + lines.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], crc);
    }

    /// <summary>Reads the body length from a record prefix; false when it cannot be a valid record.</summary>
    public static bool TryReadBodyLength(ReadOnlySpan<byte> prefix, out int bodyLength)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        bodyLength = (int)Math.Min(length, int.MaxValue);
        return length >= BodyHeaderBytes && length <= MaxBodyBytes;
    }

    /// <summary>Checks a whole record (prefix + body) and decodes its body header; null describes what is wrong.</summary>
    public static string? Validate(ReadOnlySpan<byte> record, out int lineCount, out WritePrecision precision, out int rpLength)
    {
        lineCount = 0;
        precision = default;
        rpLength = 0;
        var body = record[PrefixBytes..];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(record[4..]))
        {
            return "checksum mismatch";
        }

        lineCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(body);
        precision = (WritePrecision)body[4];
        rpLength = body[5];
        if (lineCount < 0 || !WritePrecisions.IsDefined(precision) || BodyHeaderBytes + rpLength > body.Length)
        {
            return "record header out of range";
        }

        return null;
    }
}

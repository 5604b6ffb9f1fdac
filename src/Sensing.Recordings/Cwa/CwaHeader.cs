using System.Buffers.Binary;

namespace Sensing.Recordings.Cwa;

/// <summary>
/// The "MD" metadata packet that opens a .cwa file (Open Movement <c>cwa_header_t</c>): who recorded and how.
/// Only the fields the reader uses are kept; offsets are those of <c>cwa.h</c>.
/// </summary>
internal readonly record struct CwaHeader
{
    /// <summary>Bytes the header needs before its fields can be read (the fields end at offset 44).</summary>
    public const int FieldBytes = 64;

    /// <summary>Length of the whole header packet in the file (1024 in every known file).</summary>
    public int Length { get; init; }

    /// <summary>0x00, 0xff or 0x17: AX3; 0x64: AX6.</summary>
    public byte HardwareType { get; init; }

    public uint DeviceId { get; init; }

    public uint SessionId { get; init; }

    /// <summary>Configured sample rate, Hz.</summary>
    public double RateHz { get; init; }

    /// <summary>Configured accelerometer range, ±g.</summary>
    public int RangeG { get; init; }

    public bool IsAx6 => HardwareType == 0x64;

    public string DeviceName => IsAx6 ? "AX6" : HardwareType is 0x00 or 0xff or 0x17 ? "AX3" : $"Axivity hardware 0x{HardwareType:x2}";

    /// <summary>True when <paramref name="start"/> begins with the "MD" packet header.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == (byte)'M' && start[1] == (byte)'D';

    /// <summary>Reads the header fields from the first <see cref="FieldBytes"/> bytes of a file that has the signature.</summary>
    /// <exception cref="FormatException">The packet length is not a whole number of 512-byte sectors.</exception>
    public static CwaHeader Parse(ReadOnlySpan<byte> start)
    {
        // packetLength excludes the 4-byte packet header; the header must end on a sector boundary for the
        // data blocks after it to be found.
        var length = BinaryPrimitives.ReadUInt16LittleEndian(start[2..]) + 4;
        if (length % CwaBlock.Size != 0)
        {
            throw new FormatException($"header length {length} is not a multiple of {CwaBlock.Size} bytes");
        }

        var upper = BinaryPrimitives.ReadUInt16LittleEndian(start[11..]);
        var rateCode = start[36];
        return new CwaHeader
        {
            Length = length,
            HardwareType = start[4],
            DeviceId = ((upper == 0xffff ? 0u : upper) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(start[5..]),
            SessionId = BinaryPrimitives.ReadUInt32LittleEndian(start[7..]),
            RateHz = RateFromCode(rateCode),
            RangeG = RangeFromCode(rateCode),
        };
    }

    /// <summary>Sample rate of a rate code: <c>3200 / (1 &lt;&lt; (15 - (code &amp; 15)))</c> Hz.</summary>
    public static double RateFromCode(byte code) => 3200.0 / (1 << (15 - (code & 0x0f)));

    /// <summary>Accelerometer range of a rate code: <c>16 &gt;&gt; (code &gt;&gt; 6)</c> ±g.</summary>
    public static int RangeFromCode(byte code) => 16 >> (code >> 6);
}

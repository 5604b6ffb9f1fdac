using System.Buffers.Binary;

namespace Sensing.Recordings.Tests.Cwa;

/// <summary>
/// Writes small .cwa files byte by byte from the layout of Open Movement's <c>cwa.h</c>, so that the reader's
/// decoding, timing and damage handling are tested without the shared recordings.
/// </summary>
internal sealed class CwaFileBuilder
{
    private readonly List<byte[]> _sectors = [];

    /// <summary>Rate code 0x4a: 100 Hz, ±8 g.</summary>
    public const byte Rate100Hz8G = 0x4a;

    /// <summary>Rate code 0x0a: 100 Hz, ±16 g.</summary>
    public const byte Rate100Hz16G = 0x0a;

    public CwaFileBuilder(byte hardwareType = 0x00, byte rateCode = Rate100Hz8G, ushort deviceId = 1234, uint sessionId = 7)
    {
        var header = new byte[1024];
        header.AsSpan().Fill(0xff);
        header[0] = (byte)'M';
        header[1] = (byte)'D';
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 1020);
        header[4] = hardwareType;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), deviceId);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(7), sessionId);
        header[36] = rateCode;
        _sectors.Add(header);
        SessionId = sessionId;
        RateCode = rateCode;
    }

    public uint SessionId { get; }

    public byte RateCode { get; }

    /// <summary>Packs a wall-clock time to the .cwa timestamp (whole seconds).</summary>
    public static uint Pack(DateTime t)
        => ((uint)(t.Year - 2000) << 26) | ((uint)t.Month << 22) | ((uint)t.Day << 17) | ((uint)t.Hour << 12) |
           ((uint)t.Minute << 6) | (uint)t.Second;

    /// <summary>Appends a data block of 3-axis samples in the packed format (values in 1/256 g, any size up to ±4095·8).</summary>
    /// <param name="whole">RTC whole second valid at sample <paramref name="timestampOffset"/> (before the fraction shim).</param>
    /// <param name="fraction">Fraction of that second in 1/32768 s, or null for old firmware that stores the device id instead.</param>
    public CwaFileBuilder Packed(uint sequence, DateTime whole, short timestampOffset, (int X, int Y, int Z)[] samples, ushort? fraction = null)
    {
        var block = Start(sequence, whole, timestampOffset, samples.Length, 0x30, fraction, lightScale: 0x0100);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(30 + (4 * i)), PackSample(samples[i]));
        }

        return Finish(block);
    }

    /// <summary>Appends a data block of int16 samples with <paramref name="axes"/> values each (3, 6 or 9).</summary>
    public CwaFileBuilder Unpacked(uint sequence, DateTime whole, short timestampOffset, int axes, short[][] samples, ushort lightScale = 0)
    {
        var block = Start(sequence, whole, timestampOffset, samples.Length, (byte)((axes << 4) | 2), null, lightScale);
        for (var i = 0; i < samples.Length; i++)
        {
            for (var a = 0; a < axes; a++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(30 + (2 * ((i * axes) + a))), samples[i][a]);
            }
        }

        return Finish(block);
    }

    /// <summary>Appends any raw sector (e.g. an unwritten 0xff sector).</summary>
    public CwaFileBuilder Raw(byte[] sector)
    {
        _sectors.Add(sector);
        return this;
    }

    /// <summary>Flips one byte of the last block so its checksum fails.</summary>
    public CwaFileBuilder DamageLast()
    {
        _sectors[^1][100] ^= 0x5a;
        return this;
    }

    public byte[] ToBytes() => [.. _sectors.SelectMany(s => s)];

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>n samples at rest with gravity on z (256 = 1 g), x counting up so samples can be told apart.</summary>
    public static (int X, int Y, int Z)[] Ramp(int n, int from = 0) => [.. Enumerable.Range(from, n).Select(i => (i % 500, -3, 256))];

    private byte[] Start(uint sequence, DateTime whole, short timestampOffset, int count, byte axesAndPacking, ushort? fraction, ushort lightScale)
    {
        var block = new byte[512];
        block[0] = (byte)'A';
        block[1] = (byte)'X';
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), 508);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(4), fraction is { } f ? (ushort)(0x8000 | f) : (ushort)1234);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(6), SessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(10), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(14), Pack(whole));
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(18), lightScale);
        block[24] = RateCode;
        block[25] = axesAndPacking;
        BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(26), timestampOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(28), (ushort)count);
        return block;
    }

    private CwaFileBuilder Finish(byte[] block)
    {
        ushort sum = 0;
        for (var i = 0; i < 510; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(i));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(510), (ushort)-sum);
        _sectors.Add(block);
        return this;
    }

    // The smallest exponent that fits all three axes in 10 signed bits; low bits lost to the exponent are dropped.
    private static uint PackSample((int X, int Y, int Z) s)
    {
        var exponent = 0;
        while (exponent < 3 && new[] { s.X, s.Y, s.Z }.Any(v => (v >> exponent) is < -512 or > 511))
        {
            exponent++;
        }

        static uint Field(int v, int e) => (uint)(v >> e) & 0x3ff;
        return ((uint)exponent << 30) | (Field(s.Z, exponent) << 20) | (Field(s.Y, exponent) << 10) | Field(s.X, exponent);
    }
}

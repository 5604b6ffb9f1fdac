using System.Buffers.Binary;

namespace Sensing.Recordings.Cwa;

/// <summary>
/// One "AX" data block of a .cwa file (Open Movement <c>cwa_data_t</c>), decoded: its timing fields and its
/// accelerometer samples in counts. Instances are reused block after block by the reader.
/// </summary>
/// <remarks>
/// Layout (little-endian, offsets of <c>cwa.h</c>): 0 "AX", 2 packet length (508), 4 device fractional time,
/// 6 session id, 10 sequence id, 14 packed timestamp, 18 light and scale (AAAGGGLLLLLLLLLL), 20 temperature, 22 events,
/// 23 battery, 24 rate code, 25 axes/packing, 26 timestamp offset, 28 sample count, 30 samples (480 bytes), 510 checksum.
/// </remarks>
internal sealed class CwaBlock
{
    /// <summary>Bytes in a block (one flash sector).</summary>
    public const int Size = 512;

    private const int SampleBytes = 480;
    private const int MaxSamples = SampleBytes / 4;

    /// <summary>0-based index of the block among the data sectors after the header.</summary>
    public long Index { get; private set; }

    public uint SessionId { get; private set; }

    public uint SequenceId { get; private set; }

    public double RateHz { get; private set; }

    public int RangeG { get; private set; }

    /// <summary>Axes stored per sample: 3 (accel), 6 (gyro, accel) or 9 (gyro, accel, magnetometer).</summary>
    public int Axes { get; private set; }

    /// <summary>True for the packed format: 3 axes of 10 bits sharing a 2-bit exponent in 4 bytes.</summary>
    public bool IsPacked { get; private set; }

    /// <summary>Accelerometer counts per g.</summary>
    public int CountsPerG { get; private set; }

    public int SampleCount { get; private set; }

    /// <summary>Device-clock time of sample 0, microseconds since 1970 (wall clock, no zone).</summary>
    public double FirstSampleMicros { get; private set; }

    public int[] X { get; } = new int[MaxSamples];

    public int[] Y { get; } = new int[MaxSamples];

    public int[] Z { get; } = new int[MaxSamples];

    /// <summary>Nominal duration of the block's samples at its configured rate, microseconds.</summary>
    public double NominalMicros => SampleCount * 1e6 / RateHz;

    /// <summary>True when this block is the one the device wrote right after <paramref name="previous"/>.</summary>
    public bool Follows(CwaBlock previous)
        => SessionId == previous.SessionId && SequenceId == previous.SequenceId + 1 && RateHz == previous.RateHz;

    /// <summary>Verifies and decodes one sector into this instance.</summary>
    /// <param name="sector">Exactly <see cref="Size"/> bytes.</param>
    /// <param name="index">The block's index, kept for reports.</param>
    /// <param name="headerRangeG">The range given by the file header, for AX6 blocks that do not carry their scale.</param>
    /// <param name="rejection">Why the sector gave no samples, or <see cref="CwaBlockRejection.None"/>.</param>
    /// <returns>True when the sector was a valid data block (possibly with zero samples).</returns>
    public bool TryParse(ReadOnlySpan<byte> sector, long index, int headerRangeG, out CwaBlockRejection rejection)
    {
        if (sector.Length != Size)
        {
            rejection = CwaBlockRejection.Truncated;
            return false;
        }

        if (sector[0] != (byte)'A' || sector[1] != (byte)'X')
        {
            rejection = CwaBlockRejection.NotDataBlock;
            return false;
        }

        if (!ChecksumHolds(sector))
        {
            rejection = CwaBlockRejection.BadChecksum;
            return false;
        }

        var axesAndPacking = sector[25];
        var axes = axesAndPacking >> 4;
        var packing = axesAndPacking & 0x0f;
        var count = BinaryPrimitives.ReadUInt16LittleEndian(sector[28..]);
        var bytesPerSample = packing == 0 ? 4 : 2 * axes;
        if (axes is not (3 or 6 or 9) || packing is not (0 or 2) || (packing == 0 && axes != 3) || count * bytesPerSample > SampleBytes)
        {
            rejection = CwaBlockRejection.BadLayout;
            return false;
        }

        if (!CwaTimestamp.TryDecode(BinaryPrimitives.ReadUInt32LittleEndian(sector[14..]), out var seconds))
        {
            rejection = CwaBlockRejection.BadTimestamp;
            return false;
        }

        Index = index;
        SessionId = BinaryPrimitives.ReadUInt32LittleEndian(sector[6..]);
        SequenceId = BinaryPrimitives.ReadUInt32LittleEndian(sector[10..]);
        RateHz = CwaHeader.RateFromCode(sector[24]);
        RangeG = CwaHeader.RangeFromCode(sector[24]);
        Axes = axes;
        IsPacked = packing == 0;
        SampleCount = count;
        CountsPerG = ScaleOf(BinaryPrimitives.ReadUInt16LittleEndian(sector[18..]), axes, headerRangeG);
        FirstSampleMicros = FirstSampleTime(sector, seconds, RateHz);
        DecodeSamples(sector.Slice(30, SampleBytes));
        rejection = CwaBlockRejection.None;
        return true;
    }

    /// <summary>The one place rejections become words.</summary>
    public static string Describe(CwaBlockRejection rejection) => rejection switch
    {
        CwaBlockRejection.BadChecksum => "checksum failed",
        CwaBlockRejection.BadLayout => "axes, packing or sample count cannot be decoded",
        CwaBlockRejection.BadTimestamp => "timestamp is not a date",
        CwaBlockRejection.Truncated => "file ends inside the block",
        CwaBlockRejection.NotDataBlock => "not a data block",
        _ => "valid",
    };

    // The 16-bit little-endian words of the whole sector, checksum included, sum to zero.
    private static bool ChecksumHolds(ReadOnlySpan<byte> sector)
    {
        ushort sum = 0;
        for (var i = 0; i < Size; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(sector[i..]);
        }

        return sum == 0;
    }

    // Top 3 bits of the light word give the unpacked accel scale, 1/2^(8+n) g (AX3 writes 0: 1/256 g, which is
    // also the unit of the packed format). AX6 firmware that leaves them 0 is scaled from the range: ±range g
    // over the full int16.
    private static int ScaleOf(ushort lightScale, int axes, int headerRangeG)
    {
        var code = lightScale >> 13;
        if (code != 0 || axes == 3)
        {
            return 1 << (8 + code);
        }

        return 32768 / Math.Max(headerRangeG, 1);
    }

    // The block timestamp is the whole second of the RTC at sample index `timestampOffset`. Newer firmware also
    // stores the fraction of that second (top bit of deviceFractional set) and, so that readers ignoring the
    // fraction stay right, moves timestampOffset back by the whole samples the fraction spans; cwa-convert undoes
    // that shim with integer arithmetic, and so do we, so that times agree with the official converters.
    private static double FirstSampleTime(ReadOnlySpan<byte> sector, long seconds, double rateHz)
    {
        var fractional = BinaryPrimitives.ReadUInt16LittleEndian(sector[4..]);
        double offset = BinaryPrimitives.ReadInt16LittleEndian(sector[26..]);
        var fraction = 0.0;
        if ((fractional & 0x8000) != 0)
        {
            var sixteenBit = (fractional & 0x7fff) << 1;
            offset += (sixteenBit * (int)rateHz) >> 16;
            fraction = sixteenBit / 65536.0;
        }

        return ((seconds + fraction) * 1e6) - (offset / rateHz * 1e6);
    }

    private void DecodeSamples(ReadOnlySpan<byte> data)
    {
        if (IsPacked)
        {
            // [3][2][1][0] = eezzzzzz zzzzyyyy yyyyyyxx xxxxxxxx: 10-bit signed axes shifted left by the exponent.
            for (var i = 0; i < SampleCount; i++)
            {
                var v = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
                var exponent = (int)(v >> 30);
                X[i] = ((int)(v << 22) >> 22) << exponent;
                Y[i] = ((int)(v << 12) >> 22) << exponent;
                Z[i] = ((int)(v << 2) >> 22) << exponent;
            }

            return;
        }

        // int16 per axis; with 6 or 9 axes the gyroscope comes first and the accelerometer is the second triple.
        var stride = 2 * Axes;
        var accel = Axes >= 6 ? 6 : 0;
        for (var i = 0; i < SampleCount; i++)
        {
            var sample = data[((i * stride) + accel)..];
            X[i] = BinaryPrimitives.ReadInt16LittleEndian(sample);
            Y[i] = BinaryPrimitives.ReadInt16LittleEndian(sample[2..]);
            Z[i] = BinaryPrimitives.ReadInt16LittleEndian(sample[4..]);
        }
    }
}

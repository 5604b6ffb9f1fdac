namespace Sensing.Protocol.Frames;

/// <summary>Constants and code tables of protocol v1 frames (firmware-protocol/README.md §3).</summary>
public static class FrameFormat
{
    /// <summary>The protocol version this codec speaks.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>Bytes before the reference sample.</summary>
    public const int HeaderBytes = 12;

    /// <summary>The smallest frame: header, one sample, CRC.</summary>
    public const int MinFrameBytes = 20;

    /// <summary>The largest frame: the notification payload of ATT MTU 247.</summary>
    public const int MaxFrameBytes = 244;

    /// <summary>Most samples one frame carries.</summary>
    public const int MaxSamples = 255;

    /// <summary>Widest delta.</summary>
    public const int MaxDeltaWidth = 16;

    /// <summary>Offset of the packed deltas.</summary>
    public const int DeltaOffset = 18;

    private static readonly double[] Rates = [12.5, 25, 50, 100, 200, 400];
    private static readonly int[] PeriodsMicros = [80_000, 40_000, 20_000, 10_000, 5_000, 2_500];

    /// <summary>Number of defined rate codes (0..5).</summary>
    public const int RateCodeCount = 6;

    /// <summary>Sample rate in Hz of a rate code.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not 0..5.</exception>
    public static double RateHz(int rateCode) => Rates[CheckRate(rateCode)];

    /// <summary>Nominal sample period of a rate code, in microseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not 0..5.</exception>
    public static int PeriodMicros(int rateCode) => PeriodsMicros[CheckRate(rateCode)];

    /// <summary>The rate code of a sample rate, or -1 when the rate has none.</summary>
    public static int RateCodeOf(double rateHz) => Array.IndexOf(Rates, rateHz);

    /// <summary>Raw counts per g for a range code (±2 g → 16384 … ±16 g → 2048).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not 0..3.</exception>
    public static int CountsPerG(int rangeCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rangeCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rangeCode, 3);
        return 16384 >> rangeCode;
    }

    /// <summary>Encoded length of a frame with <paramref name="count"/> samples at delta width <paramref name="width"/>.</summary>
    public static int FrameLength(int count, int width) => MinFrameBytes + ((3 * width * (count - 1)) + 7) / 8;

    /// <summary>Bits a delta needs in two's complement (0 for 0).</summary>
    public static int DeltaWidth(int delta)
    {
        if (delta == 0)
        {
            return 0;
        }

        return 1 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(delta ^ (delta >> 31))));
    }

    /// <summary>The tick of sample <paramref name="offset"/> of a run starting at <paramref name="tick"/>, as devices compute it.</summary>
    public static uint TickAt(uint tick, uint offset, int rateCode)
        => tick + (uint)((((ulong)offset * (ulong)PeriodMicros(rateCode)) + 500) / 1000);

    private static int CheckRate(int rateCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rateCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rateCode, RateCodeCount - 1);
        return rateCode;
    }
}

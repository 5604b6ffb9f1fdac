using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// Writes timestamps as decimal text, reusing the leading digits of the previous one: the points of a batch lie within
/// minutes of each other, so all but the last six digits repeat, and only those six are formatted per point (three
/// two-digit table lookups instead of thirteen divisions by ten).
/// </summary>
internal sealed class TimestampDigits
{
    private const long LowModulus = 1_000_000; // the six digits formatted every time

    private readonly byte[] _high = new byte[24];
    private long _highValue = -1;
    private int _highLength;

    /// <summary>Writes <paramref name="timestamp"/> at the start of <paramref name="span"/> (room for 21 bytes) and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Write(long timestamp, Span<byte> span)
    {
        if (timestamp < LowModulus)
        {
            Utf8Formatter.TryFormat(timestamp, span, out var written); // negatives and the first days of 1970
            return written;
        }

        var (high, low) = Math.DivRem(timestamp, LowModulus);
        if (high != _highValue)
        {
            Utf8Formatter.TryFormat(high, _high, out _highLength);
            _highValue = high;
        }

        var n = _highLength;
        _high.AsSpan(0, n).CopyTo(span);
        var (upper, lower4) = Math.DivRem((int)low, 10_000);
        var (middle, lower) = Math.DivRem(lower4, 100);
        DigitPairs.Write(upper, span[n..]);
        DigitPairs.Write(middle, span[(n + 2)..]);
        DigitPairs.Write(lower, span[(n + 4)..]);
        return n + 6;
    }
}

/// <summary>The two decimal digits of 0..99, by table.</summary>
internal static class DigitPairs
{
    private static ReadOnlySpan<byte> Table => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(int value, Span<byte> span) => Table.Slice(value * 2, 2).CopyTo(span);
}

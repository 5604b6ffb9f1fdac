using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// Writes timestamps as decimal text, reusing the leading digits of the previous one: the points of a batch lie within
/// minutes of each other, so all but the last six digits repeat, and only those six are formatted per point (three
/// two-digit table lookups instead of thirteen divisions by ten).
/// </summary>
internal sealed class TimestampDigits
{
    private const long LowModulus = 1_000_000; // the six digits formatted every time
    private const long MaxHigh = 99_999_999; // leading digits that fit the eight cached bytes (ms until the year 5138)

    private long _highValue = -1;
    private ulong _highBytes;
    private int _highLength;

    /// <summary>Writes <paramref name="timestamp"/> at the start of <paramref name="span"/> (room for 21 bytes) and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Write(long timestamp, Span<byte> span)
    {
        var (high, low) = Math.DivRem(timestamp, LowModulus);
        if (high != _highValue && !Cache(high))
        {
            Utf8Formatter.TryFormat(timestamp, span, out var written); // before 1970-01-01T00:16:40 (or far ahead)
            return written;
        }

        // Eight bytes are stored whatever the length; the six digits after them overwrite what is past the cached ones.
        if (span.Length < 14)
        {
            ThrowTooShort();
        }

        ref var start = ref MemoryMarshal.GetReference(span);
        Unsafe.WriteUnaligned(ref start, _highBytes);
        var n = _highLength;
        var (upper, lower4) = Math.DivRem((int)low, 10_000);
        var (middle, lower) = Math.DivRem(lower4, 100);
        DigitPairs.Write(upper, ref Unsafe.Add(ref start, n));
        DigitPairs.Write(middle, ref Unsafe.Add(ref start, n + 2));
        DigitPairs.Write(lower, ref Unsafe.Add(ref start, n + 4));
        return n + 6;
    }

    private bool Cache(long high)
    {
        if (high is < 1 or > MaxHigh)
        {
            return false;
        }

        Span<byte> digits = stackalloc byte[8];
        Utf8Formatter.TryFormat(high, digits, out _highLength);
        _highBytes = MemoryMarshal.Read<ulong>(digits); // native order in, native order out: the bytes as they stand

        _highValue = high;
        return true;
    }

    private static void ThrowTooShort() => throw new ArgumentException("A timestamp needs 14 bytes of room.");
}

/// <summary>The two decimal digits of 0..99, by table.</summary>
internal static class DigitPairs
{
    private static ReadOnlySpan<byte> Table => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>Writes the two digits of <paramref name="value"/> (0..99, unchecked) at <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(int value, ref byte target)
        => Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(Table), (uint)value * 2)));

    /// <summary>Writes the two digits of <paramref name="value"/> (0..99) at the start of <paramref name="span"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(int value, Span<byte> span)
    {
        if ((uint)value > 99 || span.Length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        Write(value, ref MemoryMarshal.GetReference(span));
    }
}

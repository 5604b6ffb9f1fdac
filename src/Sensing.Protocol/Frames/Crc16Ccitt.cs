using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Protocol.Frames;

/// <summary>
/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0; check value 0x29B1), README §3.6.
/// </summary>
/// <remarks>
/// Two implementations with one result. Where the CPU has carry-less multiplication (x86 PCLMULQDQ), inputs of 32
/// bytes and more are folded 16 bytes per step (Intel's "Fast CRC computation for generic polynomials using
/// PCLMULQDQ", reduced here to a 16-bit polynomial), which keeps frame decoding above 1 GB/s; elsewhere, and for the
/// last bytes, slicing-by-16 tables fold sixteen bytes per step (and up to fifteen last bytes in one more). Thread-safe (tables and constants are immutable).
/// </remarks>
public static class Crc16Ccitt
{
    private const uint Polynomial = 0x11021; // x^16 + x^12 + x^5 + 1
    private static readonly ushort[] Table = BuildTables();

    // Folding constants: a 128-bit block A = Ahi·x^64 + Alo followed by 128 more bits is A·x^128 ≡ Ahi·(x^192 mod P)
    // + Alo·(x^128 mod P). Element 0 multiplies the low half, element 1 the high half.
    private static readonly Vector128<ulong> FoldBy128 = Vector128.Create(XPowModP(128), XPowModP(192));

    // The same for 256 bits, so two independent accumulators (even and odd blocks) halve the chain of multiplications.
    private static readonly Vector128<ulong> FoldBy256 = Vector128.Create(XPowModP(256), XPowModP(320));

    /// <summary>The initial register value.</summary>
    public const ushort Initial = 0xFFFF;

    /// <summary>CRC of <paramref name="data"/> from the initial value.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Update(Initial, data);

    /// <summary>Continues a CRC over more data.</summary>
    public static ushort Update(ushort crc, ReadOnlySpan<byte> data)
        => Pclmulqdq.IsSupported && Ssse3.IsSupported && data.Length >= 32 ? UpdateFolded(crc, data) : UpdateTable(crc, data);

    /// <summary>The table-driven CRC (slicing-by-16), for any CPU and any length.</summary>
    internal static ushort UpdateTable(ushort crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int i = 0;
        int n = data.Length;
        uint c = crc;
        for (; i + 16 <= n; i += 16)
        {
            c = Step16(c, ReadUInt64(ref Unsafe.Add(ref p, i)), ReadUInt64(ref Unsafe.Add(ref p, i + 8)));
        }

        return Tail(c, ref Unsafe.Add(ref p, i), n - i);
    }

    /// <summary>The register after 16 bytes (<paramref name="lo"/>: the first eight, little-endian): one table per byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step16(uint c, ulong lo, ulong hi)
    {
        // The register is XORed into the first two bytes; table k holds a byte followed by k zero bytes.
        ref ushort t = ref MemoryMarshal.GetArrayDataReference(Table);
        lo ^= ((c >> 8) & 0xFF) | ((c & 0xFF) << 8);
        return Eight(ref Unsafe.Add(ref t, 8 << 8), lo) ^ Eight(ref t, hi);
    }

    /// <summary>The contribution of eight bytes, <paramref name="t"/> being the table for the last of them (no more bytes after it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Eight(ref ushort t, ulong v)
        => (uint)(Unsafe.Add(ref t, (7 << 8) + (nuint)(byte)v)
            ^ Unsafe.Add(ref t, (6 << 8) + (nuint)(byte)(v >> 8))
            ^ Unsafe.Add(ref t, (5 << 8) + (nuint)(byte)(v >> 16))
            ^ Unsafe.Add(ref t, (4 << 8) + (nuint)(byte)(v >> 24))
            ^ Unsafe.Add(ref t, (3 << 8) + (nuint)(byte)(v >> 32))
            ^ Unsafe.Add(ref t, (2 << 8) + (nuint)(byte)(v >> 40))
            ^ Unsafe.Add(ref t, (1 << 8) + (nuint)(byte)(v >> 48))
            ^ Unsafe.Add(ref t, (nuint)(byte)(v >> 56)));

    /// <summary>The register after the last <paramref name="m"/> (0..15) bytes, in one step from two bytes on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Tail(uint c, ref byte p, int m)
    {
        ref ushort t = ref MemoryMarshal.GetArrayDataReference(Table);
        if (m < 2)
        {
            return m == 0 ? (ushort)c : (ushort)(((c << 8) & 0xFFFF) ^ Unsafe.Add(ref t, (int)((c >> 8) ^ p)));
        }

        // m bytes after which the register is gone: byte j contributes table m - 1 - j.
        ref ushort last = ref Unsafe.Add(ref t, (m - 1) << 8);
        uint r = (uint)(Unsafe.Add(ref last, (nint)(byte)((c >> 8) ^ p)) ^ Unsafe.Add(ref last, (nint)(byte)(c ^ Unsafe.Add(ref p, 1)) - 256));
        for (int j = 2; j < m; j++)
        {
            r ^= Unsafe.Add(ref last, (nint)Unsafe.Add(ref p, j) - ((nint)j << 8));
        }

        return (ushort)r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadUInt64(ref byte p)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref p);
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>Carry-less folding of whole 16-byte blocks, then the table for the folded remainder and the tail.</summary>
    private static ushort UpdateFolded(ushort crc, ReadOnlySpan<byte> data)
    {
        // The CRC reads bits most significant first: each block is taken big-endian, its first byte at the top.
        var bigEndian = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        ref byte p = ref MemoryMarshal.GetReference(data);
        var a = Ssse3.Shuffle(Vector128.LoadUnsafe(ref p), bigEndian).AsUInt64();

        // Starting from register value `crc` is the same as XORing it into the first two bytes and starting from 0.
        a ^= Vector128.Create(0UL, (ulong)crc << 48);
        int blocks = data.Length >> 4;
        var k1 = FoldBy128;
        var k2 = FoldBy256;
        var odd = Ssse3.Shuffle(Vector128.LoadUnsafe(ref p, 16), bigEndian).AsUInt64();
        int i = 2;
        for (; i + 1 < blocks; i += 2)
        {
            var b0 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref p, (nuint)(i << 4)), bigEndian).AsUInt64();
            var b1 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref p, (nuint)((i + 1) << 4)), bigEndian).AsUInt64();
            a = Pclmulqdq.CarrylessMultiply(a, k2, 0x11) ^ Pclmulqdq.CarrylessMultiply(a, k2, 0x00) ^ b0;
            odd = Pclmulqdq.CarrylessMultiply(odd, k2, 0x11) ^ Pclmulqdq.CarrylessMultiply(odd, k2, 0x00) ^ b1;
        }

        // Even accumulator one block on, onto the odd one; then a last whole block, if the count was odd.
        a = Pclmulqdq.CarrylessMultiply(a, k1, 0x11) ^ Pclmulqdq.CarrylessMultiply(a, k1, 0x00) ^ odd;
        if (i < blocks)
        {
            var b = Ssse3.Shuffle(Vector128.LoadUnsafe(ref p, (nuint)(i << 4)), bigEndian).AsUInt64();
            a = Pclmulqdq.CarrylessMultiply(a, k1, 0x11) ^ Pclmulqdq.CarrylessMultiply(a, k1, 0x00) ^ b;
        }

        // a is congruent (mod P) to the blocks. The register after them is a·x^16 mod P: the CRC, from 0, of a's 16
        // bytes in message order. The bytes after the last whole block continue from that register.
        var folded = Ssse3.Shuffle(a.AsByte(), bigEndian).AsUInt64();
        return Tail(Step16(0, folded.ToScalar(), folded.GetElement(1)), ref Unsafe.Add(ref p, blocks << 4), data.Length - (blocks << 4));
    }

    /// <summary>x^n mod P, as a 16-bit polynomial.</summary>
    private static ulong XPowModP(int n)
    {
        uint r = 1;
        for (int i = 0; i < n; i++)
        {
            r <<= 1;
            if ((r & 0x10000) != 0)
            {
                r ^= Polynomial;
            }
        }

        return r;
    }

    private static ushort[] BuildTables()
    {
        var table = new ushort[16 * 256];
        for (int v = 0; v < 256; v++)
        {
            uint c = (uint)v << 8;
            for (int b = 0; b < 8; b++)
            {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }

            table[v] = (ushort)c;
        }

        // Table k: the CRC of a byte followed by k zero bytes.
        for (int k = 1; k < 16; k++)
        {
            for (int v = 0; v < 256; v++)
            {
                uint s = table[((k - 1) << 8) + v];
                table[(k << 8) + v] = (ushort)(((s << 8) & 0xFFFF) ^ table[s >> 8]);
            }
        }

        return table;
    }
}

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
/// last bytes, slicing-by-8 tables fold eight bytes per step. Thread-safe (tables and constants are immutable).
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

    /// <summary>The table-driven CRC (slicing-by-8), for any CPU and any length.</summary>
    internal static ushort UpdateTable(ushort crc, ReadOnlySpan<byte> data)
    {
        ref ushort t = ref MemoryMarshal.GetArrayDataReference(Table);
        ref byte p = ref MemoryMarshal.GetReference(data);
        int i = 0;
        int n = data.Length;
        uint c = crc;
        for (; i + 8 <= n; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i));
            if (!BitConverter.IsLittleEndian)
            {
                v = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
            }

            uint b0 = ((uint)v & 0xFF) ^ (c >> 8);
            uint b1 = ((uint)(v >> 8) & 0xFF) ^ (c & 0xFF);
            c = (uint)(Unsafe.Add(ref t, (7 << 8) + (int)b0)
                ^ Unsafe.Add(ref t, (6 << 8) + (int)b1)
                ^ Unsafe.Add(ref t, (5 << 8) + (int)((v >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (4 << 8) + (int)((v >> 24) & 0xFF))
                ^ Unsafe.Add(ref t, (3 << 8) + (int)((v >> 32) & 0xFF))
                ^ Unsafe.Add(ref t, (2 << 8) + (int)((v >> 40) & 0xFF))
                ^ Unsafe.Add(ref t, (1 << 8) + (int)((v >> 48) & 0xFF))
                ^ Unsafe.Add(ref t, (int)(v >> 56)));
        }

        for (; i < n; i++)
        {
            c = ((c << 8) & 0xFFFF) ^ Unsafe.Add(ref t, (int)((c >> 8) ^ Unsafe.Add(ref p, i)));
        }

        return (ushort)c;
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
        Span<byte> folded = stackalloc byte[16];
        Ssse3.Shuffle(a.AsByte(), bigEndian).StoreUnsafe(ref MemoryMarshal.GetReference(folded));
        return UpdateTable(UpdateTable(0, folded), data[(blocks << 4)..]);
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
        var table = new ushort[8 * 256];
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
        for (int k = 1; k < 8; k++)
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

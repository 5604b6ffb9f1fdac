using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sensing.Protocol.Frames;

/// <summary>
/// Decodes one frame from a span (README §3). Never throws on hostile bytes: every failure is a
/// <see cref="FrameRejectionReason"/>. Allocation-free.
/// </summary>
public static class FrameDecoder
{
    /// <summary>Parses and checks the 12-byte header (rules up to <see cref="FrameRejectionReason.SequenceOverflow"/>).</summary>
    /// <param name="data">Bytes starting at the frame.</param>
    /// <param name="header">The header when the result is <see cref="FrameRejectionReason.None"/>.</param>
    /// <param name="frameLength">The whole frame's length the header announces.</param>
    /// <returns><see cref="FrameRejectionReason.None"/>, or why the header is invalid.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FrameRejectionReason ParseHeader(ReadOnlySpan<byte> data, out FrameHeader header, out int frameLength)
    {
        // Valid headers with one branch: every rule evaluated without short-circuit; any failure takes the ordered
        // checks below, which find the first broken rule (README §3.7).
        if (data.Length >= FrameFormat.HeaderBytes)
        {
            ref byte p = ref MemoryMarshal.GetReference(data);
            uint control = p;
            uint format = Unsafe.Add(ref p, 1);
            uint count = Unsafe.Add(ref p, 11);
            uint width = format & 0x1F;
            uint seq = ReadUInt32(ref Unsafe.Add(ref p, 3));
            int length = FrameFormat.MinFrameBytes + (int)(((3 * width * (count - 1)) + 7) >> 3);
            bool valid = (control >> 5 == FrameFormat.ProtocolVersion)
                & (((ValidControlLowBits >> (int)(control & 31)) & 1) != 0)
                & ((format & 0x3F) <= FrameFormat.MaxDeltaWidth)
                & ((count - 2 < 254) | (count == 1 & width == 0))
                & (length <= FrameFormat.MaxFrameBytes)
                & ((ulong)seq + count - 1 <= uint.MaxValue);
            if (valid)
            {
                header = new FrameHeader(
                    (FrameType)((control >> 3) & 3), (byte)(control & 7), (byte)(format >> 6), (byte)width,
                    Unsafe.Add(ref p, 2), seq, ReadUInt32(ref Unsafe.Add(ref p, 7)), (byte)count);
                frameLength = length;
                return FrameRejectionReason.None;
            }
        }

        return FirstBrokenHeaderRule(data, out header, out frameLength);
    }

    // Control bytes of version 1 (bits 7..5) by their low five bits: type 1 or 2 (bits 4..3), rate code 0..5 (bits 2..0).
    private const uint ValidControlLowBits = 0x003F3F00;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadUInt32(ref byte p)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref p);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>The header rules in the order of README §3.7, for a header that breaks at least one.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FrameRejectionReason FirstBrokenHeaderRule(ReadOnlySpan<byte> data, out FrameHeader header, out int frameLength)
    {
        header = default;
        frameLength = 0;
        if (data.Length < FrameFormat.HeaderBytes)
        {
            return FrameRejectionReason.Truncated;
        }

        byte control = data[0];
        byte format = data[1];
        int type = (control >> 3) & 3;
        int width = format & 0x1F;
        int count = data[11];
        if (control >> 5 != FrameFormat.ProtocolVersion)
        {
            return FrameRejectionReason.UnsupportedVersion;
        }

        if (type is not (1 or 2))
        {
            return FrameRejectionReason.UnknownFrameType;
        }

        if ((control & 7) > 5)
        {
            return FrameRejectionReason.UnknownRateCode;
        }

        if ((format & 0x20) != 0)
        {
            return FrameRejectionReason.ReservedBitSet;
        }

        if (width > FrameFormat.MaxDeltaWidth)
        {
            return FrameRejectionReason.InvalidDeltaWidth;
        }

        if (count == 0)
        {
            return FrameRejectionReason.ZeroSampleCount;
        }

        if (count == 1 && width != 0)
        {
            return FrameRejectionReason.InvalidDeltaWidth;
        }

        if (FrameFormat.FrameLength(count, width) > FrameFormat.MaxFrameBytes)
        {
            return FrameRejectionReason.FrameTooLong;
        }

        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(data[3..]);
        if ((ulong)seq + (ulong)count - 1 > uint.MaxValue)
        {
            return FrameRejectionReason.SequenceOverflow;
        }

        throw new UnreachableException("the fast header check rejected a valid header");
    }

    /// <summary>Decodes one frame starting at <paramref name="data"/>.</summary>
    /// <param name="data">Bytes starting at the frame; may extend beyond it (the extra bytes are not part of the frame).</param>
    /// <param name="header">The header on success.</param>
    /// <param name="x">Receives the x counts; at least <see cref="FrameFormat.MaxSamples"/> long.</param>
    /// <param name="y">Receives the y counts.</param>
    /// <param name="z">Receives the z counts.</param>
    /// <param name="frameLength">Bytes the frame occupies on success.</param>
    /// <returns><see cref="FrameRejectionReason.None"/> or the first rule the bytes break.</returns>
    /// <exception cref="ArgumentException">An output span is shorter than 255.</exception>
    public static FrameRejectionReason Decode(
        ReadOnlySpan<byte> data, out FrameHeader header, Span<short> x, Span<short> y, Span<short> z, out int frameLength)
    {
        if (x.Length < FrameFormat.MaxSamples || y.Length < FrameFormat.MaxSamples || z.Length < FrameFormat.MaxSamples)
        {
            throw new ArgumentException("Sample spans must hold 255 samples.", nameof(x));
        }

        var reason = ParseHeader(data, out header, out frameLength);
        if (reason != FrameRejectionReason.None)
        {
            return reason;
        }

        if (data.Length < frameLength)
        {
            return FrameRejectionReason.Truncated;
        }

        return DecodeBody(data, header, frameLength, x, y, z);
    }

    /// <summary>Checks CRC, padding and canonical width, and unpacks the samples of a frame whose header is valid.</summary>
    /// <remarks>The sample spans hold at least <see cref="FrameFormat.MaxSamples"/> (checked by the callers).</remarks>
    internal static FrameRejectionReason DecodeBody(
        ReadOnlySpan<byte> data, in FrameHeader header, int frameLength, Span<short> x, Span<short> y, Span<short> z)
    {
        ushort crc = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(frameLength - 2, 2));
        if (Crc16Ccitt.Compute(data[..(frameLength - 2)]) != crc)
        {
            return FrameRejectionReason.CrcMismatch;
        }

        int w = header.DeltaWidth;
        int n = header.Count;
        int totalBits = 3 * w * (n - 1);
        if ((totalBits & 7) != 0 && (data[FrameFormat.DeltaOffset + (totalBits >> 3)] >> (totalBits & 7)) != 0)
        {
            return FrameRejectionReason.NonZeroPadding;
        }

        ref byte d = ref MemoryMarshal.GetReference(data);
        MemoryMarshal.GetReference(x) = (short)ReadUInt16(ref Unsafe.Add(ref d, 12));
        MemoryMarshal.GetReference(y) = (short)ReadUInt16(ref Unsafe.Add(ref d, 14));
        MemoryMarshal.GetReference(z) = (short)ReadUInt16(ref Unsafe.Add(ref d, 16));
        return n == 1 ? FrameRejectionReason.None : UnpackDeltas(data, n, w, x, y, z);
    }

    /// <summary>Samples 1..n-1, after the reference sample at index 0 (kept out of line: most small frames have none).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FrameRejectionReason UnpackDeltas(ReadOnlySpan<byte> data, int n, int w, Span<short> x, Span<short> y, Span<short> z)
    {
        if (w == 0)
        {
            x[1..n].Fill(x[0]);
            y[1..n].Fill(y[0]);
            z[1..n].Fill(z[0]);
            return FrameRejectionReason.None;
        }

        ref short px = ref MemoryMarshal.GetReference(x);
        ref short py = ref MemoryMarshal.GetReference(y);
        ref short pz = ref MemoryMarshal.GetReference(z);

        // One copy of the unpacking loop per width: shifts and offsets become constants.
        return w switch
        {
            1 => Unpack<W1>(data, n, ref px, ref py, ref pz),
            2 => Unpack<W2>(data, n, ref px, ref py, ref pz),
            3 => Unpack<W3>(data, n, ref px, ref py, ref pz),
            4 => Unpack<W4>(data, n, ref px, ref py, ref pz),
            5 => Unpack<W5>(data, n, ref px, ref py, ref pz),
            6 => Unpack<W6>(data, n, ref px, ref py, ref pz),
            7 => Unpack<W7>(data, n, ref px, ref py, ref pz),
            8 => Unpack<W8>(data, n, ref px, ref py, ref pz),
            9 => Unpack<W9>(data, n, ref px, ref py, ref pz),
            10 => Unpack<W10>(data, n, ref px, ref py, ref pz),
            11 => Unpack<W11>(data, n, ref px, ref py, ref pz),
            12 => Unpack<W12>(data, n, ref px, ref py, ref pz),
            13 => Unpack<W13>(data, n, ref px, ref py, ref pz),
            14 => Unpack<W14>(data, n, ref px, ref py, ref pz),
            15 => Unpack<W15>(data, n, ref px, ref py, ref pz),
            _ => Unpack<W16>(data, n, ref px, ref py, ref pz),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ReadUInt16(ref byte p)
    {
        ushort v = Unsafe.ReadUnaligned<ushort>(ref p);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>
    /// Rebuilds samples 1..n-1 from the reference sample (already stored at index 0) and the w-bit deltas, and checks
    /// that the width is canonical.
    /// </summary>
    /// <remarks>
    /// Every sample is read with one unaligned 8-byte load that carries its three fields (7 + 3 * 16 &lt; 64 bits),
    /// shifted left so that its z field ends at bit 63: z, y and x are then sign-extended by one arithmetic right
    /// shift each. Eight samples span exactly 3w bytes, so within a group of eight every load offset and shift is a
    /// constant; the group loop runs while its loads stay inside <paramref name="data"/> (the frame, its CRC and any
    /// bytes after it), and the last samples are read from the bytes that exist.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameRejectionReason Unpack<TWidth>(ReadOnlySpan<byte> data, int n, ref short px, ref short py, ref short pz)
        where TWidth : struct, IDeltaWidth
    {
        int w = TWidth.Bits;
        ref byte d = ref Unsafe.Add(ref MemoryMarshal.GetReference(data), FrameFormat.DeltaOffset);
        int x = px, y = py, z = pz;

        // Canonical width (README §3.4): some delta needs all w bits, i.e. in some field the top two bits differ. With
        // a field's top bit at position t of u, bit t of u ^ (u << 1) is that difference (for w = 1, where the field
        // has one bit, the bit below it is the previous field or 0, and the differences are all 0 only when every
        // field is 0, which is then the rule). OR it over the samples, and test the three top positions at the end.
        ulong differ = 0;
        int available = data.Length - FrameFormat.DeltaOffset;
        int k = 1;

        // Groups of eight samples, each 3w bytes; a group's last load starts at byte (7 * 3w) / 8.
        int lastLoadEnd = (21 * w / 8) + 8;
        int groups = available >= lastLoadEnd ? Math.Min((n - 1) >> 3, ((available - lastLoadEnd) / (3 * w)) + 1) : 0;
        ref byte g = ref d;
        for (int i = 0; i < groups; i++, k += 8, g = ref Unsafe.Add(ref g, 3 * w))
        {
            Sample<TWidth>(ref g, 0, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 1, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 2, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 3, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 4, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 5, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 6, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
            Sample<TWidth>(ref g, 7, ref differ, ref x, ref y, ref z, ref px, ref py, ref pz, k);
        }

        // The remaining samples one at a time; the word is assembled from the bytes that exist where a load would not fit.
        for (int bit = (k - 1) * 3 * w; k < n; k++, bit += 3 * w)
        {
            int first = bit >> 3;
            ulong v;
            if (first + 8 <= available)
            {
                v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, first));
                v = BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
            }
            else
            {
                v = 0;
                for (int i = first; i < available; i++)
                {
                    v |= (ulong)Unsafe.Add(ref d, i) << ((i - first) * 8);
                }
            }

            Accumulate<TWidth>((v >> (bit & 7)) << (64 - (3 * w)), ref differ, ref x, ref y, ref z);
            Store(ref px, ref py, ref pz, k, x, y, z);
        }

        ulong topBits = (1UL << 63) | (1UL << (63 - w)) | (1UL << (63 - (2 * w)));
        return (differ & topBits) != 0 ? FrameRejectionReason.None : FrameRejectionReason.NonCanonicalWidth;
    }

    /// <summary>Sample <paramref name="j"/> (0..7) of the group at <paramref name="group"/>, stored at index k + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sample<TWidth>(
        ref byte group, int j, ref ulong differ, ref int x, ref int y, ref int z, ref short px, ref short py, ref short pz, int k)
        where TWidth : struct, IDeltaWidth
    {
        int bit = j * 3 * TWidth.Bits;
        ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref group, bit >> 3));
        v = BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
        Accumulate<TWidth>(v << (64 - (bit & 7) - (3 * TWidth.Bits)), ref differ, ref x, ref y, ref z);
        Store(ref px, ref py, ref pz, k + j, x, y, z);
    }

    /// <summary>Adds the three deltas of <paramref name="u"/> (z in its top w bits, then y, then x below it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TWidth>(ulong u, ref ulong differ, ref int x, ref int y, ref int z)
        where TWidth : struct, IDeltaWidth
    {
        int w = TWidth.Bits;
        differ |= u ^ (u << 1);
        x += (int)((long)(u << (2 * w)) >> (64 - w));
        y += (int)((long)(u << w) >> (64 - w));
        z += (int)((long)u >> (64 - w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref short px, ref short py, ref short pz, int k, int x, int y, int z)
    {
        Unsafe.Add(ref px, k) = (short)x;
        Unsafe.Add(ref py, k) = (short)y;
        Unsafe.Add(ref pz, k) = (short)z;
    }

    /// <summary>A delta width as a type, so that each width gets its own compiled copy of <see cref="Unpack{TWidth}"/>.</summary>
    private interface IDeltaWidth
    {
        static abstract int Bits { get; }
    }

    private readonly struct W1 : IDeltaWidth { public static int Bits => 1; }
    private readonly struct W2 : IDeltaWidth { public static int Bits => 2; }
    private readonly struct W3 : IDeltaWidth { public static int Bits => 3; }
    private readonly struct W4 : IDeltaWidth { public static int Bits => 4; }
    private readonly struct W5 : IDeltaWidth { public static int Bits => 5; }
    private readonly struct W6 : IDeltaWidth { public static int Bits => 6; }
    private readonly struct W7 : IDeltaWidth { public static int Bits => 7; }
    private readonly struct W8 : IDeltaWidth { public static int Bits => 8; }
    private readonly struct W9 : IDeltaWidth { public static int Bits => 9; }
    private readonly struct W10 : IDeltaWidth { public static int Bits => 10; }
    private readonly struct W11 : IDeltaWidth { public static int Bits => 11; }
    private readonly struct W12 : IDeltaWidth { public static int Bits => 12; }
    private readonly struct W13 : IDeltaWidth { public static int Bits => 13; }
    private readonly struct W14 : IDeltaWidth { public static int Bits => 14; }
    private readonly struct W15 : IDeltaWidth { public static int Bits => 15; }
    private readonly struct W16 : IDeltaWidth { public static int Bits => 16; }
}

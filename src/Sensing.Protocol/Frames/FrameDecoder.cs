using System.Buffers.Binary;
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
    public static FrameRejectionReason ParseHeader(ReadOnlySpan<byte> data, out FrameHeader header, out int frameLength)
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

        frameLength = FrameFormat.FrameLength(count, width);
        if (frameLength > FrameFormat.MaxFrameBytes)
        {
            return FrameRejectionReason.FrameTooLong;
        }

        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(data[3..]);
        if ((ulong)seq + (ulong)count - 1 > uint.MaxValue)
        {
            return FrameRejectionReason.SequenceOverflow;
        }

        header = new FrameHeader(
            (FrameType)type,
            (byte)(control & 7),
            (byte)(format >> 6),
            (byte)width,
            data[2],
            seq,
            BinaryPrimitives.ReadUInt32LittleEndian(data[7..]),
            (byte)count);
        return FrameRejectionReason.None;
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

        short rx = BinaryPrimitives.ReadInt16LittleEndian(data[12..]);
        short ry = BinaryPrimitives.ReadInt16LittleEndian(data[14..]);
        short rz = BinaryPrimitives.ReadInt16LittleEndian(data[16..]);
        if (w == 0)
        {
            x[..n].Fill(rx);
            y[..n].Fill(ry);
            z[..n].Fill(rz);
            return FrameRejectionReason.None;
        }

        return Unpack(data, n, w, rx, ry, rz, x, y, z);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameRejectionReason Unpack(
        ReadOnlySpan<byte> data, int n, int w, short rx, short ry, short rz, Span<short> xs, Span<short> ys, Span<short> zs)
    {
        ref byte d = ref Unsafe.Add(ref MemoryMarshal.GetReference(data), FrameFormat.DeltaOffset);
        ref short px = ref MemoryMarshal.GetReference(xs);
        ref short py = ref MemoryMarshal.GetReference(ys);
        ref short pz = ref MemoryMarshal.GetReference(zs);
        px = rx;
        py = ry;
        pz = rz;

        // One unaligned 8-byte load per sample carries its three w-bit fields (3 * 16 + 7 < 64 bits). Each field is
        // sign-extended by moving its top bit to bit 63 and shifting back arithmetically.
        int sx = 64 - w, sy = 64 - (2 * w), sz = 64 - (3 * w);

        // Canonical width (README §3.4): some delta needs all w bits, i.e. in some field the top two bits differ (for
        // w = 1: some field is not 0). Bit k·w-1 of v ^ (v << 1) is that difference for field k; OR it over the samples.
        ulong topBits = (1UL << (w - 1)) | (1UL << ((2 * w) - 1)) | (1UL << ((3 * w) - 1));
        ulong differ = 0;
        int bit = 0;
        int step = 3 * w;
        int x = rx, y = ry, z = rz;
        int k = 1;

        // Fast path while the 8-byte load stays inside `data` (the frame, its CRC, and whatever follows it).
        int available = data.Length - FrameFormat.DeltaOffset;
        int fastEnd = available >= 8 ? (int)Math.Min(n, ((long)(available - 8) * 8 / step) + 2) : 1;

        // Narrow deltas (w <= 9): one load carries two samples, and the width check covers both.
        ulong differPair = 0;
        ulong topPair = topBits | (topBits << step);
        if ((2 * step) + 7 <= 64)
        {
            int tx = 64 - (4 * w), ty = 64 - (5 * w), tz = 64 - (6 * w);
            for (; k < fastEnd && k + 1 < n; k += 2, bit += 2 * step)
            {
                ulong v = WordAt(ref d, bit);
                differPair |= v ^ (v << 1);
                Accumulate(v, sx, sy, sz, w, ref x, ref y, ref z);
                Store(ref px, ref py, ref pz, k, x, y, z);
                Accumulate(v, tx, ty, tz, w, ref x, ref y, ref z);
                Store(ref px, ref py, ref pz, k + 1, x, y, z);
            }
        }

        for (; k < fastEnd; k++, bit += step)
        {
            ulong v = WordAt(ref d, bit);
            differ |= v ^ (v << 1);
            Accumulate(v, sx, sy, sz, w, ref x, ref y, ref z);
            Store(ref px, ref py, ref pz, k, x, y, z);
        }

        // The last samples: assemble the word from the bytes that exist.
        for (; k < n; k++, bit += step)
        {
            ulong v = 0;
            int first = bit >> 3;
            int last = Math.Min(available, first + 8);
            for (int i = first; i < last; i++)
            {
                v |= (ulong)Unsafe.Add(ref d, i) << ((i - first) * 8);
            }

            v >>= bit & 7;
            differ |= v ^ (v << 1);
            Accumulate(v, sx, sy, sz, w, ref x, ref y, ref z);
            Store(ref px, ref py, ref pz, k, x, y, z);
        }

        return ((differ & topBits) | (differPair & topPair)) != 0 ? FrameRejectionReason.None : FrameRejectionReason.NonCanonicalWidth;
    }

    /// <summary>The 8 bytes from bit offset <paramref name="bit"/>'s byte, shifted so that bit is bit 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong WordAt(ref byte deltas, int bit)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref deltas, bit >> 3));
        if (!BitConverter.IsLittleEndian)
        {
            v = BinaryPrimitives.ReverseEndianness(v);
        }

        return v >> (bit & 7);
    }

    /// <summary>Adds the three w-bit deltas whose top bits sit at 63 - s after shifting left by s (sign-extended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ulong v, int sx, int sy, int sz, int w, ref int x, ref int y, ref int z)
    {
        x += (int)((long)(v << sx) >> (64 - w));
        y += (int)((long)(v << sy) >> (64 - w));
        z += (int)((long)(v << sz) >> (64 - w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref short px, ref short py, ref short pz, int k, int x, int y, int z)
    {
        Unsafe.Add(ref px, k) = (short)x;
        Unsafe.Add(ref py, k) = (short)y;
        Unsafe.Add(ref pz, k) = (short)z;
    }
}

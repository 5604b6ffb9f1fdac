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
        int shift = 64 - w;
        int magnitude = 0; // OR of |d| in sign-magnitude-free form: d ^ (d >> 31)
        int any = 0;
        int bit = 0;
        int step = 3 * w;

        // Fast path: one unaligned 8-byte load per sample carries all three deltas (3 * 16 + 7 < 64 bits),
        // as long as the load stays inside `data` (the frame, its CRC, and whatever follows it).
        int available = data.Length - FrameFormat.DeltaOffset;
        int k = 1;
        int x = rx, y = ry, z = rz;
        for (; k < n && (bit >> 3) + 8 <= available; k++, bit += step)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, bit >> 3));
            if (!BitConverter.IsLittleEndian)
            {
                v = BinaryPrimitives.ReverseEndianness(v);
            }

            v >>= bit & 7;
            int dx = (int)((long)(v << shift) >> shift);
            int dy = (int)((long)((v >> w) << shift) >> shift);
            int dz = (int)((long)((v >> (2 * w)) << shift) >> shift);
            magnitude |= (dx ^ (dx >> 31)) | (dy ^ (dy >> 31)) | (dz ^ (dz >> 31));
            any |= dx | dy | dz;
            x += dx;
            y += dy;
            z += dz;
            Unsafe.Add(ref px, k) = (short)x;
            Unsafe.Add(ref py, k) = (short)y;
            Unsafe.Add(ref pz, k) = (short)z;
        }

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
            int dx = (int)((long)(v << shift) >> shift);
            int dy = (int)((long)((v >> w) << shift) >> shift);
            int dz = (int)((long)((v >> (2 * w)) << shift) >> shift);
            magnitude |= (dx ^ (dx >> 31)) | (dy ^ (dy >> 31)) | (dz ^ (dz >> 31));
            any |= dx | dy | dz;
            x += dx;
            y += dy;
            z += dz;
            Unsafe.Add(ref px, k) = (short)x;
            Unsafe.Add(ref py, k) = (short)y;
            Unsafe.Add(ref pz, k) = (short)z;
        }

        // Canonical width: the widest delta needs exactly w bits (README §3.4).
        int widest = any == 0 ? 0 : 1 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)magnitude));
        return widest == w ? FrameRejectionReason.None : FrameRejectionReason.NonCanonicalWidth;
    }
}

using System.Buffers.Binary;
using Sensing.Protocol.Frames;

namespace Sensing.Protocol.Tests.Frames;

/// <summary>
/// The decoder's unpacking (one compiled copy per width, groups of eight samples, a byte-wise tail) against a
/// bit-at-a-time reference of README §3.4, for every width, every sample count that fits and random delta bits.
/// </summary>
public sealed class DeltaUnpackTests
{
    [Fact]
    public void Every_width_and_count_decodes_like_the_bitwise_reference()
    {
        var rng = new Random(7);
        var buffer = new byte[FrameFormat.MaxFrameBytes + 16];
        short[] x = new short[255], y = new short[255], z = new short[255];
        int checkedFrames = 0, nonCanonical = 0;
        for (int w = 1; w <= FrameFormat.MaxDeltaWidth; w++)
        {
            for (int n = 2; n <= FrameFormat.MaxSamples && FrameFormat.FrameLength(n, w) <= FrameFormat.MaxFrameBytes; n++)
            {
                // Random delta bits; every third frame narrowed to w - 1 bits per delta (mostly non-canonical).
                int length = BuildFrame(rng, buffer, n, w, narrow: n % 3 == 0);
                foreach (int extra in new[] { 0, 16 })
                {
                    var frame = buffer.AsSpan(0, length + extra);
                    var (expected, ex, ey, ez) = Reference(frame[..length], n, w);
                    var reason = FrameDecoder.Decode(frame, out var header, x, y, z, out int decodedLength);
                    Assert.True(expected == reason, $"w {w} n {n} extra {extra}: {reason}, expected {expected}");
                    checkedFrames++;
                    if (reason != FrameRejectionReason.None)
                    {
                        nonCanonical++;
                        continue;
                    }

                    Assert.Equal(length, decodedLength);
                    Assert.Equal(n, header.Count);
                    Assert.True(ex.AsSpan().SequenceEqual(x.AsSpan(0, n)), $"w {w} n {n} extra {extra}: x differs");
                    Assert.True(ey.AsSpan().SequenceEqual(y.AsSpan(0, n)), $"w {w} n {n} extra {extra}: y differs");
                    Assert.True(ez.AsSpan().SequenceEqual(z.AsSpan(0, n)), $"w {w} n {n} extra {extra}: z differs");
                }
            }
        }

        Assert.True(checkedFrames > 2000 && nonCanonical > 100, $"{checkedFrames} frames, {nonCanonical} non-canonical");
    }

    /// <summary>A frame with random reference sample and delta bits, zero padding and a valid CRC; returns its length.</summary>
    private static int BuildFrame(Random rng, byte[] buffer, int n, int w, bool narrow)
    {
        int length = FrameFormat.FrameLength(n, w);
        rng.NextBytes(buffer);
        buffer[0] = 0x2B; // version 1, live, 100 Hz
        buffer[1] = (byte)(0x80 | w);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(3), (uint)rng.Next(1 << 30));
        buffer[11] = (byte)n;
        int totalBits = 3 * w * (n - 1);
        for (int field = 0; narrow && field < 3 * (n - 1); field++)
        {
            // Sign-extend the field from w - 1 bits: its top bit copies the one below (for w = 1: it becomes 0).
            int top = (field * w) + w - 1;
            bool below = w > 1 && Bit(buffer, top - 1);
            SetBit(buffer, top, below);
        }

        for (int b = totalBits; b < (length - FrameFormat.MinFrameBytes) * 8; b++)
        {
            SetBit(buffer, b, false);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(length - 2), Crc16Ccitt.Compute(buffer.AsSpan(0, length - 2)));
        return length;
    }

    /// <summary>README §3.4 bit by bit: the verdict (None or NonCanonicalWidth) and the samples.</summary>
    private static (FrameRejectionReason, short[], short[], short[]) Reference(ReadOnlySpan<byte> frame, int n, int w)
    {
        var s = new short[3][];
        for (int a = 0; a < 3; a++)
        {
            s[a] = new short[n];
            s[a][0] = BinaryPrimitives.ReadInt16LittleEndian(frame[(12 + (2 * a))..]);
        }

        bool needsAllBits = false;
        var bytes = frame.ToArray();
        for (int k = 1; k < n; k++)
        {
            for (int a = 0; a < 3; a++)
            {
                int start = (((k - 1) * 3) + a) * w;
                int delta = 0;
                for (int i = 0; i < w; i++)
                {
                    delta |= (Bit(bytes, start + i) ? 1 : 0) << i;
                }

                delta = (delta << (32 - w)) >> (32 - w);
                needsAllBits |= FrameFormat.DeltaWidth(delta) == w;
                s[a][k] = (short)(s[a][k - 1] + delta);
            }
        }

        return (needsAllBits ? FrameRejectionReason.None : FrameRejectionReason.NonCanonicalWidth, s[0], s[1], s[2]);
    }

    private static bool Bit(byte[] frame, int deltaBit) => (frame[FrameFormat.DeltaOffset + (deltaBit >> 3)] & (1 << (deltaBit & 7))) != 0;

    private static void SetBit(byte[] frame, int deltaBit, bool value)
    {
        ref byte b = ref frame[FrameFormat.DeltaOffset + (deltaBit >> 3)];
        b = (byte)(value ? b | (1 << (deltaBit & 7)) : b & ~(1 << (deltaBit & 7)));
    }
}

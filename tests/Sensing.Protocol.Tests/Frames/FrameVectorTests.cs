using System.Buffers;
using System.Text.Json;
using Sensing.Protocol.Frames;

namespace Sensing.Protocol.Tests.Frames;

/// <summary>The C# codec against the C reference's vectors: same decoded meaning, same bytes when encoding.</summary>
public sealed class FrameVectorTests
{
    public static IEnumerable<object[]> FrameNames => Vectors.Names("frames.json");

    public static IEnumerable<object[]> CorruptNames => Vectors.Names("corrupt.json");

    [Fact]
    public void Crc_matches_the_check_value_and_every_vector()
    {
        Assert.Equal(0x29B1, Crc16Ccitt.Compute("123456789"u8));
        foreach (var v in Vectors.Load("crc.json").EnumerateArray())
        {
            var data = Vectors.Hex(v.GetProperty("hex"));
            Assert.Equal(v.GetProperty("crc").GetInt32(), Crc16Ccitt.Compute(data));

            // Continuing a CRC must agree with computing it at once, for every split point.
            for (int split = 0; split <= data.Length; split += 7)
            {
                Assert.Equal(Crc16Ccitt.Compute(data), Crc16Ccitt.Update(Crc16Ccitt.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
            }
        }
    }

    [Fact]
    public void Folded_and_table_crc_equal_the_bitwise_crc_for_every_length_and_start_value()
    {
        // Crc16Ccitt.Update folds with carry-less multiplication where the CPU has it (from 32 bytes), and uses the
        // slicing tables elsewhere; a bit-at-a-time CRC is the reference for both. Lengths 0..600 cover every block
        // count of a frame and every tail length, with any register.
        var rng = new Random(42);
        var data = new byte[600];
        for (int length = 0; length <= data.Length; length++)
        {
            rng.NextBytes(data);
            var span = data.AsSpan(0, length);
            ushort start = length % 3 == 0 ? Crc16Ccitt.Initial : (ushort)rng.Next(65536);
            ushort expected = BitwiseCrc(start, span);
            Assert.Equal(expected, Crc16Ccitt.UpdateTable(start, span));
            Assert.Equal(expected, Crc16Ccitt.Update(start, span));
        }

        Assert.Equal(0x29B1, Crc16Ccitt.UpdateTable(Crc16Ccitt.Initial, "123456789"u8));
        var ramp = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(Crc16Ccitt.UpdateTable(Crc16Ccitt.Initial, ramp), Crc16Ccitt.Compute(ramp));
        Assert.True(System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported || !System.Runtime.Intrinsics.X86.Sse2.IsSupported,
            "this x86 CPU has no PCLMULQDQ: only the table path was tested");
    }

    private static ushort BitwiseCrc(ushort crc, ReadOnlySpan<byte> data)
    {
        uint c = crc;
        foreach (byte b in data)
        {
            c ^= (uint)b << 8;
            for (int i = 0; i < 8; i++)
            {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }
        }

        return (ushort)c;
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void Decodes_each_valid_vector_to_its_meaning(string name)
    {
        var v = Vectors.Named("frames.json", name);
        var bytes = Vectors.Hex(v.GetProperty("hex"));
        var f = v.GetProperty("frame");
        short[] x = new short[255], y = new short[255], z = new short[255];
        Assert.Equal(FrameRejectionReason.None, FrameDecoder.Decode(bytes, out var h, x, y, z, out int length));
        Assert.Equal(bytes.Length, length);
        Assert.Equal(f.GetProperty("type").GetInt32(), (int)h.Type);
        Assert.Equal(f.GetProperty("rateCode").GetInt32(), h.RateCode);
        Assert.Equal(f.GetProperty("rangeCode").GetInt32(), h.RangeCode);
        Assert.Equal(f.GetProperty("deltaWidth").GetInt32(), h.DeltaWidth);
        Assert.Equal(f.GetProperty("bootId").GetInt32(), h.BootId);
        Assert.Equal(f.GetProperty("seq").GetUInt32(), h.Sequence);
        Assert.Equal(f.GetProperty("tick").GetUInt32(), h.Tick);
        Assert.Equal(f.GetProperty("count").GetInt32(), h.Count);
        var samples = f.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(h.Count, samples.Length);
        for (int k = 0; k < h.Count; k++)
        {
            Assert.Equal(samples[k][0].GetInt16(), x[k]);
            Assert.Equal(samples[k][1].GetInt16(), y[k]);
            Assert.Equal(samples[k][2].GetInt16(), z[k]);
        }
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void Encodes_each_valid_vector_to_the_same_bytes(string name)
    {
        var v = Vectors.Named("frames.json", name);
        var expected = Vectors.Hex(v.GetProperty("hex"));
        var f = v.GetProperty("frame");
        var samples = f.GetProperty("samples").EnumerateArray().ToArray();
        short[] x = samples.Select(s => s[0].GetInt16()).ToArray();
        short[] y = samples.Select(s => s[1].GetInt16()).ToArray();
        short[] z = samples.Select(s => s[2].GetInt16()).ToArray();
        var buffer = new byte[FrameFormat.MaxFrameBytes];
        int length = FrameEncoder.Encode(
            (FrameType)f.GetProperty("type").GetInt32(), f.GetProperty("rateCode").GetInt32(), f.GetProperty("rangeCode").GetInt32(),
            f.GetProperty("bootId").GetByte(), f.GetProperty("seq").GetUInt32(), f.GetProperty("tick").GetUInt32(), x, y, z, buffer);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void Packs_the_shared_signal_like_the_reference_for_each_mtu()
    {
        // scripted_sample() of the C tests: the reference's greedy packing decides how many samples fit.
        short[] x = new short[255], y = new short[255], z = new short[255];
        for (int i = 0; i < 255; i++)
        {
            x[i] = (short)((i * 37 % 400) - 200);
            y[i] = (short)((i % 64 * 3) - 96);
            z[i] = (short)(4096 + (i % 7) - 3);
        }

        foreach (var mtu in new[] { 23, 64, 185, 247 })
        {
            var expected = Vectors.Named("frames.json", $"scripted_mtu{mtu}").GetProperty("frame").GetProperty("count").GetInt32();
            Assert.Equal(expected, FrameEncoder.SamplesThatFit(x, y, z, mtu - 3));
        }
    }

    [Theory]
    [MemberData(nameof(CorruptNames))]
    public void Rejects_each_corrupt_vector_with_the_reference_reason(string name)
    {
        var v = Vectors.Named("corrupt.json", name);
        var bytes = Vectors.Hex(v.GetProperty("hex"));
        var expected = Enum.Parse<FrameRejectionReason>(v.GetProperty("rejection").GetString()!);
        short[] x = new short[255], y = new short[255], z = new short[255];
        Assert.Equal(expected, FrameDecoder.Decode(bytes, out _, x, y, z, out _));
    }

    [Fact]
    public void Every_mutated_vector_gets_the_reference_verdict()
    {
        // vectors/mutations.json: frames mutated as the C mutation test and the fuzz test mutate them, with the C
        // decoder's verdict. Same bytes, same verdict; an accepted one decodes to a frame that re-encodes to itself.
        short[] x = new short[255], y = new short[255], z = new short[255];
        var buffer = new byte[FrameFormat.MaxFrameBytes];
        int count = 0, accepted = 0;
        foreach (var v in Vectors.Load("mutations.json").EnumerateArray())
        {
            var bytes = Vectors.Hex(v.GetProperty("hex"));
            var expected = Enum.Parse<FrameRejectionReason>(v.GetProperty("rejection").GetString()!);
            var actual = FrameDecoder.Decode(bytes, out var h, x, y, z, out int length);
            Assert.True(expected == actual, $"mutation #{count} ({v.GetProperty("kind").GetString()}): C says {expected}, C# says {actual}");
            if (actual == FrameRejectionReason.None)
            {
                int n = h.Count;
                int again = FrameEncoder.Encode(h.Type, h.RateCode, h.RangeCode, h.BootId, h.Sequence, h.Tick, x.AsSpan(0, n), y.AsSpan(0, n), z.AsSpan(0, n), buffer);
                Assert.Equal(Convert.ToHexString(bytes, 0, length), Convert.ToHexString(buffer, 0, again));
                accepted++;
            }

            count++;
        }

        Assert.Equal(500, count);
        Assert.InRange(accepted, 1, count - 1);
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void Every_prefix_of_a_frame_needs_more_data_and_consumes_nothing(string name)
    {
        var bytes = Vectors.Hex(Vectors.Named("frames.json", name).GetProperty("hex"));
        var parser = new FrameParser();
        var store = new CollectingHandler.Store();
        var handler = new CollectingHandler(store);
        for (int p = 0; p < bytes.Length; p++)
        {
            foreach (var seq in new[] { Segmented.Single(bytes[..p]), Segmented.BytePerSegment(bytes[..p]) })
            {
                var reader = new SequenceReader<byte>(seq);
                Assert.False(parser.TryParseFrame(ref reader, ref handler));
                Assert.Equal(0, reader.Consumed);
            }
        }

        Assert.Empty(store.Frames);
        Assert.Empty(store.Rejections);
    }

    [Fact]
    public void Stream_of_all_vectors_with_corruption_between_yields_every_valid_frame_on_split_buffers()
    {
        var valid = Vectors.Load("frames.json").EnumerateArray().Select(v => Vectors.Hex(v.GetProperty("hex"))).ToArray();
        var corrupt = Vectors.Load("corrupt.json").EnumerateArray().Select(v => Vectors.Hex(v.GetProperty("hex"))).ToArray();
        var stream = new List<byte>();
        for (int i = 0; i < valid.Length; i++)
        {
            stream.AddRange(valid[i]);
            stream.AddRange(corrupt[i % corrupt.Length]);
        }

        var bytes = stream.ToArray();
        foreach (var seq in new[] { Segmented.Single(bytes), Segmented.BytePerSegment(bytes), Segmented.Split(bytes, 37) })
        {
            var parser = new FrameParser();
            var store = new CollectingHandler.Store();
            var handler = new CollectingHandler(store);
            var reader = new SequenceReader<byte>(seq);
            while (parser.TryParseFrame(ref reader, ref handler, isFinal: true))
            {
            }

            Assert.Equal(0, reader.Remaining);
            Assert.Equal(valid.Length, store.Frames.Count);
            int corruptRuns = Enumerable.Range(0, valid.Length).Count(i => corrupt[i % corrupt.Length].Length > 0);
            Assert.Equal(corruptRuns, parser.Statistics.FramesRejected);
            Assert.Equal(bytes.Length - valid.Sum(v => v.Length), parser.Statistics.BytesSkipped);
        }
    }
}

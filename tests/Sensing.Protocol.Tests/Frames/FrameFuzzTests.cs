using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Sensing.Protocol.Frames;
using Xunit.Abstractions;

namespace Sensing.Protocol.Tests.Frames;

/// <summary>
/// Fuzz target: at least 10 million random and mutated frames, mixed with valid frames, through the decoder. No
/// exception may escape, and every valid frame in the mix must come out, in order, with its samples.
/// </summary>
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    private const byte ValidBoot = 7;
    private const int ChunkFrames = 200_000;

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Ten_million_random_and_mutated_frames_never_throw_and_never_cost_a_valid_frame()
    {
        var rng = new Random(20240611);
        var stopwatch = Stopwatch.StartNew();
        long hostile = 0, validSent = 0, bytes = 0, validDecoded = 0, foreign = 0;
        uint nextSeq = 0;
        uint expectedSeq = 0;
        var parser = new FrameParser();
        var check = new CheckingHandler.State();
        var handler = new CheckingHandler(check);
        var chunk = new ArrayBufferWriter<byte>(ChunkFrames * 120);
        var frame = new byte[FrameFormat.MaxFrameBytes];
        short[] x = new short[255], y = new short[255], z = new short[255];
        var pool = BuildPool(rng, x, y, z);
        int chunkIndex = 0;
        while (hostile < 10_000_000)
        {
            chunk.ResetWrittenCount();
            check.ExpectedSeqs.Clear();
            for (int i = 0; i < ChunkFrames; i++)
            {
                int kind = rng.Next(100);
                var (bytesOfPool, lastX) = pool[rng.Next(pool.Length)];
                int len = bytesOfPool.Length;
                bytesOfPool.CopyTo(frame, 0);
                if (kind < 35)
                {
                    // A valid frame continuing the boot-7 stream: re-stamp index and tick, recompute the CRC.
                    int n = frame[11];
                    Patch(frame, len, ValidBoot, 0x29, nextSeq, nextSeq * 10);
                    check.ExpectedSeqs.Enqueue((nextSeq, (byte)n, lastX));
                    nextSeq += (uint)n;
                    chunk.Write(frame.AsSpan(0, len));
                    validSent++;
                    continue;
                }

                hostile++;
                Patch(frame, len, 200, (byte)(0x30 | rng.Next(6)), (uint)rng.Next(), (uint)rng.Next());
                int length = Mutate(rng, frame, len, kind);
                chunk.Write(frame.AsSpan(0, length));
            }

            bytes += chunk.WrittenCount;

            // Alternate the two entry points: the span/segment parser directly (split buffers every other chunk),
            // and the real PipeReader loop fed in notification-sized writes.
            if (chunkIndex++ % 3 == 2)
            {
                RunThroughPipe(chunk.WrittenMemory, parser, handler);
            }
            else
            {
                var seq = chunkIndex % 2 == 0 ? new ReadOnlySequence<byte>(chunk.WrittenMemory) : Segmented.Split(chunk.WrittenMemory.ToArray(), 4096);
                var reader = new SequenceReader<byte>(seq);
                while (parser.TryParseFrame(ref reader, ref handler, isFinal: true))
                {
                }

                Assert.Equal(0, reader.Remaining);
            }

            Assert.True(check.ExpectedSeqs.Count == 0 && check.Mismatches == 0, $"chunk {chunkIndex}: {check.ExpectedSeqs.Count} valid frames not decoded, {check.Mismatches} out of order, {check.Foreign} foreign, first missing {(check.ExpectedSeqs.Count > 0 ? check.ExpectedSeqs.Peek().Seq : 0)} {check.FirstMismatch}");
        }

        validDecoded = check.ValidDecoded;
        foreign = check.Foreign;
        stopwatch.Stop();
        expectedSeq = nextSeq;
        output.WriteLine(
            $"fuzz: {hostile:N0} hostile + {validSent:N0} valid frames, {bytes / 1e6:F0} MB in {stopwatch.Elapsed.TotalSeconds:F1} s; " +
            $"valid decoded {validDecoded:N0}; corrupt runs {parser.Statistics.FramesRejected:N0}; bytes skipped {parser.Statistics.BytesSkipped:N0}; " +
            $"false frames accepted from hostile bytes {foreign:N0}");
        Assert.Equal(validSent, validDecoded);
        Assert.True(hostile >= 10_000_000);
        Assert.True(expectedSeq > 0);
    }

    private static void RunThroughPipe(ReadOnlyMemory<byte> data, FrameParser parser, CheckingHandler handler)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var reading = FramePipeReader.ReadAsync(pipe.Reader, parser, handler, CancellationToken.None);
        for (int offset = 0; offset < data.Length; offset += 244)
        {
            var piece = data.Slice(offset, Math.Min(244, data.Length - offset)).Span;
            pipe.Writer.Write(piece);
            if ((offset / 244) % 64 == 63)
            {
                pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        pipe.Writer.Complete();
        reading.GetAwaiter().GetResult();
    }

    /// <summary>Distinct encoded sample sets (random walks of every spread, packed for random MTUs), reused with new headers.</summary>
    private static (byte[] Bytes, short LastX)[] BuildPool(Random rng, short[] x, short[] y, short[] z)
    {
        var pool = new (byte[], short)[4096];
        var frame = new byte[FrameFormat.MaxFrameBytes];
        for (int p = 0; p < pool.Length; p++)
        {
            int spread = rng.Next(6) switch { 0 => 0, 1 => 2, 2 => 30, 3 => 300, 4 => 3000, _ => 32767 };
            int count = rng.Next(1, 256);
            short ax = (short)rng.Next(-4096, 4096), ay = (short)rng.Next(-4096, 4096), az = (short)rng.Next(-4096, 4096);
            for (int k = 0; k < count; k++)
            {
                x[k] = ax = (short)(ax + rng.Next(-spread, spread + 1));
                y[k] = ay = (short)(ay + rng.Next(-spread, spread + 1));
                z[k] = az = (short)(az + rng.Next(-spread, spread + 1));
            }

            int n = FrameEncoder.SamplesThatFit(x.AsSpan(0, count), y.AsSpan(0, count), z.AsSpan(0, count), rng.Next(20, 245));
            int len = FrameEncoder.Encode(FrameType.Live, 1, 2, ValidBoot, 0, 0, x.AsSpan(0, n), y.AsSpan(0, n), z.AsSpan(0, n), frame);
            pool[p] = (frame.AsSpan(0, len).ToArray(), x[n - 1]);
        }

        return pool;
    }

    private static void Patch(byte[] frame, int len, byte boot, byte control, uint seq, uint tick)
    {
        // Keep the seq range valid for the frame's count (the SEQUENCE_OVERFLOW rule).
        seq = Math.Min(seq, uint.MaxValue - 255);
        frame[0] = control;
        frame[2] = boot;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(3), seq);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(7), tick);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(len - 2), Crc16Ccitt.Compute(frame.AsSpan(0, len - 2)));
    }

    /// <summary>Turns a valid frame of another boot into a hostile one; returns its length.</summary>
    private static int Mutate(Random rng, byte[] frame, int len, int kind)
    {
        switch (kind % 5)
        {
            // Every mutation really changes the frame (a flip never undoes another, a new byte value differs from
            // the old one), so any hostile frame the decoder accepts is a chance CRC-16 match, not an intact frame.
            case 0: // 1..3 distinct bit flips
                int bits = len * 8, flips = rng.Next(1, 4), firstBit = rng.Next(bits);
                for (int f = 0; f < flips; f++)
                {
                    int bit = (firstBit + (f * ((bits / 3) + 1))) % bits;
                    frame[bit >> 3] ^= (byte)(1 << (bit & 7));
                }

                return len;
            case 1: // truncated
                return rng.Next(len);
            case 2: // 1..8 bytes given new values
                for (int f = rng.Next(1, 9); f > 0; f--)
                {
                    frame[rng.Next(len)] ^= (byte)rng.Next(1, 256);
                }

                return len;
            case 3: // random bytes
                int r = rng.Next(1, 245);
                rng.NextBytes(frame.AsSpan(0, r));
                return r;
            default: // a header field changed (count, width, length) with the CRC still of the original
                frame[rng.Next(12)] ^= (byte)rng.Next(1, 256);
                return len;
        }
    }

    private readonly struct CheckingHandler(CheckingHandler.State state) : IFrameHandler
    {
        public sealed class State
        {
            public Queue<(uint Seq, byte Count, short LastX)> ExpectedSeqs { get; } = new();

            public long ValidDecoded { get; set; }

            public long Foreign { get; set; }

            public long Mismatches { get; set; }

            public FrameHeader LastForeign { get; set; }

            public string? FirstMismatch { get; set; }
        }

        public void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
        {
            if (header.BootId != ValidBoot || header.Type != FrameType.Live)
            {
                state.Foreign++;
                state.LastForeign = header;
                return;
            }

            if (!state.ExpectedSeqs.TryDequeue(out var expected) || expected.Seq != header.Sequence
                || expected.Count != header.Count || expected.LastX != x[^1])
            {
                if (state.Mismatches++ == 0)
                {
                    state.FirstMismatch = $"got {header} expected {expected} last foreign {state.LastForeign}";
                }

                return;
            }

            state.ValidDecoded++;
        }

        public void OnRejected(FrameRejectionReason reason, long streamOffset)
        {
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sensing.Core;
using Sensing.Protocol.Frames;
using Sensing.Simulator.Motion;

namespace Sensing.Benchmarks;

/// <summary>
/// Gateway-side decoding of wristband frames (firmware-protocol §3), per frame (OperationsPerInvoke = frames), with
/// a GB/s column (frame bytes decoded per second on one core). The stream is ten minutes of generated wrist motion
/// at 100 Hz, ±8 g, packed as a device packs live frames for the MTU (247: frames of up to 244 bytes, also how flash
/// stores them; 23: the 20-byte minimum). Target: at least 1 GB/s per core. Run:
/// <c>dotnet run -c Release --project benchmarks/Sensing.Benchmarks -- --filter *ProtocolCodec*</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ProtocolCodecBenchmarks
{
    private byte[] _stream = [];
    private int[] _offsets = [];
    private readonly short[] _x = new short[FrameFormat.MaxSamples];
    private readonly short[] _y = new short[FrameFormat.MaxSamples];
    private readonly short[] _z = new short[FrameFormat.MaxSamples];
    private readonly FrameParser _parser = new();

    /// <summary>Frames in the stream (the same for every case of a given Kind and Mtu).</summary>
    public const int MaxFrames = 60_000;

    [Params(MotionKind.Walking, MotionKind.Sitting)]
    public MotionKind Kind { get; set; }

    [Params(247, 23)]
    public int Mtu { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_stream, _offsets) = BuildStream(Kind, Mtu);
    }

    /// <summary>One frame at a time from a span: header, CRC, padding, canonical width, unpacking.</summary>
    [Benchmark(OperationsPerInvoke = MaxFrames)]
    public long DecodeFrames()
    {
        long sum = 0;
        var stream = _stream.AsSpan();
        for (int i = 0; i < _offsets.Length - 1; i++)
        {
            FrameDecoder.Decode(stream[_offsets[i].._offsets[i + 1]], out var header, _x, _y, _z, out _);
            sum += header.Count + _x[header.Count - 1];
        }

        return sum;
    }

    /// <summary>The CRC-16 check alone, over the same frames (what share of decoding the CRC is).</summary>
    [Benchmark(OperationsPerInvoke = MaxFrames)]
    public long CrcOnly()
    {
        long sum = 0;
        var stream = _stream.AsSpan();
        for (int i = 0; i < _offsets.Length - 1; i++)
        {
            sum += Crc16Ccitt.Compute(stream[_offsets[i]..(_offsets[i + 1] - 2)]);
        }

        return sum;
    }

    /// <summary>The stream parser over the concatenated notifications (resync checks, stream heads), one segment.</summary>
    [Benchmark(OperationsPerInvoke = MaxFrames)]
    public long ParseStream()
    {
        var handler = new SumHandler(new SumHandler.Box());
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_stream));
        while (_parser.TryParseFrame(ref reader, ref handler, isFinal: true))
        {
        }

        return handler.State.Sum;
    }

    /// <summary>
    /// The whole gateway read loop: notifications written into a Pipe 244 bytes at a time, read by
    /// <see cref="FramePipeReader"/> (ReadAsync, parse, AdvanceTo). Both schedulers are inline, so reading happens
    /// on the writing thread: one core.
    /// </summary>
    [Benchmark(OperationsPerInvoke = MaxFrames)]
    public long PipeReaderLoop()
    {
        var pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false));
        var handler = new SumHandler(new SumHandler.Box());
        var reading = FramePipeReader.ReadAsync(pipe.Reader, _parser, handler, CancellationToken.None);
        var data = _stream.AsSpan();
        for (int i = 0; i < _offsets.Length - 1; i++)
        {
            pipe.Writer.Write(data[_offsets[i].._offsets[i + 1]]);
            if ((i & 63) == 63)
            {
                pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        pipe.Writer.Complete();
        reading.GetAwaiter().GetResult();
        return handler.State.Sum;
    }

    /// <summary>
    /// The benchmark's frames: ten minutes of <paramref name="kind"/> at 100 Hz (seed 1), counts at ±8 g, packed
    /// greedily for <paramref name="mtu"/>, concatenated; at most <see cref="MaxFrames"/> frames, repeated to fill them.
    /// </summary>
    public static (byte[] Stream, int[] Offsets) BuildStream(MotionKind kind, int mtu)
    {
        var generator = new MotionGenerator([new MotionSegment(kind, TimeSpan.FromMinutes(10))], 100, seed: 1);
        var block = new SampleBlock(60_000);
        generator.Read(block);
        int n = block.Count;
        short[] x = new short[n], y = new short[n], z = new short[n];
        int countsPerG = FrameFormat.CountsPerG(2);
        for (int i = 0; i < n; i++)
        {
            x[i] = (short)Math.Clamp(Math.Round(block.X[i] * countsPerG), short.MinValue, short.MaxValue);
            y[i] = (short)Math.Clamp(Math.Round(block.Y[i] * countsPerG), short.MinValue, short.MaxValue);
            z[i] = (short)Math.Clamp(Math.Round(block.Z[i] * countsPerG), short.MinValue, short.MaxValue);
        }

        var stream = new ArrayBufferWriter<byte>();
        var offsets = new List<int> { 0 };
        uint seq = 0;
        while (offsets.Count <= MaxFrames)
        {
            int at = (int)(seq % (uint)n);
            int take = Math.Min(n - at, FrameFormat.MaxSamples);
            int fit = FrameEncoder.SamplesThatFit(x.AsSpan(at, take), y.AsSpan(at, take), z.AsSpan(at, take), mtu - 3);
            int length = FrameEncoder.Encode(
                FrameType.Live, 3, 2, 1, seq, seq * 10, x.AsSpan(at, fit), y.AsSpan(at, fit), z.AsSpan(at, fit), stream.GetSpan(FrameFormat.MaxFrameBytes));
            stream.Advance(length);
            offsets.Add(stream.WrittenCount);
            seq += (uint)fit;
        }

        return (stream.WrittenSpan.ToArray(), offsets.ToArray());
    }

    private readonly struct SumHandler(SumHandler.Box state) : IFrameHandler
    {
        public Box State => state;

        public void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
            => state.Sum += header.Count + x[^1];

        public void OnRejected(FrameRejectionReason reason, long streamOffset) => state.Sum = long.MinValue;

        public sealed class Box
        {
            public long Sum;
        }
    }

    /// <summary>Adds the GB/s column: mean frame length of the case's stream divided by the mean time per frame.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new GigabytesPerSecondColumn(fastest: false), new GigabytesPerSecondColumn(fastest: true), StatisticColumn.Min);
    }

    /// <summary>
    /// GB/s from the mean time per frame, or (fastest) from the fastest iteration: on a machine shared with other
    /// work the fastest iteration is the one least slowed by it.
    /// </summary>
    private sealed class GigabytesPerSecondColumn(bool fastest) : IColumn
    {
        private readonly Dictionary<(MotionKind, int), double> _bytesPerFrame = [];

        public string Id => nameof(GigabytesPerSecondColumn) + (fastest ? "Min" : "Mean");

        public string ColumnName => fastest ? "GB/s (fastest)" : "GB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => fastest ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => fastest ? "GB/s of the fastest iteration" : "Frame bytes decoded per second on one core (mean time), in 10^9 bytes";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats)
            {
                return "-";
            }

            var kind = (MotionKind)benchmarkCase.Parameters[nameof(Kind)];
            var mtu = (int)benchmarkCase.Parameters[nameof(Mtu)];
            if (!_bytesPerFrame.TryGetValue((kind, mtu), out double bytes))
            {
                var (stream, offsets) = BuildStream(kind, mtu);
                bytes = _bytesPerFrame[(kind, mtu)] = stream.Length / (double)(offsets.Length - 1);
            }

            return (bytes / (fastest ? stats.Min : stats.Mean)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture); // bytes per ns = GB/s
        }
    }
}

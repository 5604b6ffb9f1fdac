using BenchmarkDotNet.Attributes;
using Sensing.Core;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;

namespace Sensing.Benchmarks;

/// <summary>
/// Line-protocol serialisation alone, per point (OperationsPerInvoke = points): the target is at least 20 million
/// points per second per core, i.e. at most 50 ns per point. Run:
/// <c>dotnet run -c Release --project benchmarks/Sensing.Benchmarks -- --filter *StorageSerialization*</c>.
/// </summary>
[MemoryDiagnoser]
public class StorageSerializationBenchmarks
{
    private const int Points = 5000;
    private readonly WristbandSeries[] _bands = Enumerable.Range(0, 100).Select(i => new WristbandSeries($"WB-{i:D6}", $"p-{i:D6}")).ToArray();
    private readonly LineProtocolWriter _writer = new(SensingSchema.Precision, initialCapacity: 1 << 20);
    private readonly SampleBlock _block = new(Points);
    private readonly DateTimeOffset _start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private MinuteActivity[] _minutes = [];
    private EpochActivity[] _epochs = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var t0 = _start.ToUnixTimeMilliseconds() * 1000;
        for (var i = 0; i < Points; i++)
        {
            _block.Add(t0 + i * 40_000L, (float)(random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 2 - 1));
        }

        // The points exist before serialisation, as in the worker: building them is not part of what is measured.
        _minutes = Enumerable.Range(0, Points).Select(i => new MinuteActivity(_start.AddMinutes(i), i % 130, i % 61, (i % 400) * 0.25)).ToArray();
        _epochs = Enumerable.Range(0, Points).Select(i => new EpochActivity(_start.AddSeconds(i * 30), (ActivityClass)(i % 10), 0.5 + (i % 50) * 0.01)).ToArray();
    }

    /// <summary><c>minute,patient=..,wristband=.. steps=..i,active_s=..i,enmo_mg=.. ts</c>: the main write path.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int MinutePoints()
    {
        _writer.Clear();
        for (var i = 0; i < Points; i++)
        {
            _writer.WriteMinute(_bands[i % _bands.Length], _minutes[i]);
        }

        return _writer.Length;
    }

    /// <summary><c>epoch,... class=..i,confidence=.. ts</c>.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int EpochPoints()
    {
        _writer.Clear();
        for (var i = 0; i < Points; i++)
        {
            _writer.WriteEpoch(_bands[i % _bands.Length], _epochs[i]);
        }

        return _writer.Length;
    }

    /// <summary><c>raw,... x=..,y=..,z=.. ts</c> with three shortest-form floats: the costly optional measurement.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int RawSamples()
    {
        _writer.Clear();
        _writer.WriteRaw(_bands[0], _block);
        return _writer.Length;
    }

    /// <summary>The general API: names escaped per call (no pre-built series prefix).</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int GenericPoints()
    {
        _writer.Clear();
        for (var i = 0; i < Points; i++)
        {
            _writer.Measurement("minute").Tag("patient", "p-000001").Tag("wristband", "WB-000001").Field("steps", (long)i).Timestamp(1_740_787_200_000L + i * 60_000L);
        }

        return _writer.Length;
    }
}

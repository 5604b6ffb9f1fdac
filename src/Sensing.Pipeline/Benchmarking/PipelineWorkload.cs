using Sensing.Core;
using Sensing.Signal.Steps;

namespace Sensing.Pipeline.Benchmarking;

/// <summary>
/// The pipelines' speed workload, shared by <c>sensing bench</c> and the BenchmarkDotNet benchmarks: an in-memory
/// buffer of raw int16 x/y/z counts at a fixed rate (two minutes of walking, one of rest, over and over), pushed through a
/// pipeline as the worker pushes a band's frames: <see cref="RawSamples"/> (counts, first time, period), here in runs of
/// 4096 samples; a live frame is smaller, and costs a call per frame on top.
/// </summary>
public sealed class PipelineWorkload
{
    private const float CountsPerG = 8192;
    private const int BlockSize = 4096;
    private readonly short[] _x;
    private readonly short[] _y;
    private readonly short[] _z;
    private readonly long _periodMicros;

    /// <param name="rateHz">Sample rate of the buffer.</param>
    /// <param name="samples">Samples in it; a day at 100 Hz (8.6 million, 52 MB of counts) leaves every cache.</param>
    public PipelineWorkload(double rateHz, int samples)
    {
        RateHz = rateHz;
        _x = new short[samples];
        _y = new short[samples];
        _z = new short[samples];
        _periodMicros = (long)Math.Round(1e6 / rateHz);
        var random = new Random(5);
        for (var i = 0; i < samples; i++)
        {
            var t = i / rateHz;
            var walking = (int)(t / 60) % 3 != 2;
            var swing = walking ? 0.5 * Math.Sin(Math.PI * 1.8 * t) : 0;
            var bounce = walking ? 0.2 * Math.Cos(2 * Math.PI * 1.8 * t) : 0;
            _x[i] = (short)((Math.Sin(swing) * (1 + bounce) * CountsPerG) + random.Next(-40, 40));
            _y[i] = (short)((0.1 * CountsPerG) + random.Next(-40, 40));
            _z[i] = (short)((-Math.Cos(swing) * (1 + bounce) * CountsPerG) + random.Next(-40, 40));
        }
    }

    public double RateHz { get; }

    public int Samples => _x.Length;

    /// <summary>Bytes of sensor data in the buffer (int16 x/y/z).</summary>
    public long Bytes => _x.Length * 6L;

    /// <summary>The step counter alone over the whole buffer; returns its steps.</summary>
    public long RunSteps()
    {
        var counter = new StepCounter(RateHz);
        Feed(counter.Push);
        counter.Complete();
        return counter.Steps;
    }

    /// <summary>The whole per-wristband pipeline (steps, features, classification, non-wear, minutes); returns its steps.</summary>
    public long RunStepsAndActivity()
    {
        var pipeline = new WristbandPipeline(RateHz);
        Feed(samples =>
        {
            pipeline.Push(samples);
            while (pipeline.TryDequeue(out _))
            {
            }
        });
        pipeline.Complete();
        return pipeline.Steps;
    }

    /// <summary>The physical limit: one vectorised pass reading every byte of the same int16 buffers.</summary>
    public long ReadMemory() => MemoryRead.Sum(_x) + MemoryRead.Sum(_y) + MemoryRead.Sum(_z);

    // The buffer run by run, as decoded frames hand it over: raw counts, the first sample's time and the period.
    private void Feed(Action<RawSamples> consume)
    {
        for (var offset = 0; offset < _x.Length; offset += BlockSize)
        {
            var n = Math.Min(BlockSize, _x.Length - offset);
            consume(new RawSamples(offset * _periodMicros, _periodMicros, CountsPerG, _x.AsSpan(offset, n), _y.AsSpan(offset, n), _z.AsSpan(offset, n)));
        }
    }
}

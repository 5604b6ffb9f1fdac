using Sensing.Core;
using Sensing.Signal.Kernels;
using Sensing.Signal.Steps;

namespace Sensing.Signal.Benchmarking;

/// <summary>
/// The step pipeline's speed workload, shared by <c>sensing bench</c> and the BenchmarkDotNet benchmarks: a long
/// in-memory buffer of raw int16 x/y/z counts at a fixed rate (a walk with rests), pushed in blocks through the whole
/// pipeline (counts to g, magnitude, anti-alias box, resampling, rhythm analysis, counting).
/// </summary>
public sealed class StepPipelineWorkload
{
    private const float CountsPerG = 8192;
    private const int BlockSize = 4096;
    private readonly short[] _x;
    private readonly short[] _y;
    private readonly short[] _z;
    private readonly long[] _time;
    private readonly SampleBlock _block = new(BlockSize);

    public StepPipelineWorkload(double rateHz, int samples)
    {
        RateHz = rateHz;
        _x = new short[samples];
        _y = new short[samples];
        _z = new short[samples];
        _time = new long[samples];
        var random = new Random(5);
        for (var i = 0; i < samples; i++)
        {
            var t = i / rateHz;
            var walking = (int)(t / 60) % 3 != 2; // two minutes of walking, one of rest
            var swing = walking ? 0.5 * Math.Sin(Math.PI * 1.8 * t) : 0;
            var bounce = walking ? 0.2 * Math.Cos(2 * Math.PI * 1.8 * t) : 0;
            _x[i] = (short)((Math.Sin(swing) * (1 + bounce) * CountsPerG) + random.Next(-40, 40));
            _y[i] = (short)((0.1 * CountsPerG) + random.Next(-40, 40));
            _z[i] = (short)((-Math.Cos(swing) * (1 + bounce) * CountsPerG) + random.Next(-40, 40));
            _time[i] = (long)(t * 1e6);
        }
    }

    public double RateHz { get; }

    public int Samples => _x.Length;

    /// <summary>Bytes of sensor data in the buffer (int16 x/y/z).</summary>
    public long Bytes => _x.Length * 6L;

    /// <summary>Runs the whole buffer through a fresh counter; returns its steps.</summary>
    public long RunSteps()
    {
        var counter = new StepCounter(RateHz);
        var scale = 1 / CountsPerG;
        for (var offset = 0; offset < _x.Length; offset += BlockSize)
        {
            var n = Math.Min(BlockSize, _x.Length - offset);
            SignalKernels.CountsToG(_x.AsSpan(offset, n), scale, _block.WritableX);
            SignalKernels.CountsToG(_y.AsSpan(offset, n), scale, _block.WritableY);
            SignalKernels.CountsToG(_z.AsSpan(offset, n), scale, _block.WritableZ);
            _time.AsSpan(offset, n).CopyTo(_block.WritableTime);
            _block.SetCount(n);
            counter.Push(_block);
        }

        counter.Complete();
        return counter.Steps;
    }

    /// <summary>The physical limit: one vectorised pass reading every byte of the same int16 buffers.</summary>
    public long ReadMemory() => MemoryRead.Sum(_x) + MemoryRead.Sum(_y) + MemoryRead.Sum(_z);
}

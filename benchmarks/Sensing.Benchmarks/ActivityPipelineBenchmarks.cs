using BenchmarkDotNet.Attributes;
using Sensing.Activity;
using Sensing.Activity.Features;
using Sensing.Activity.Model;
using Sensing.Core;

namespace Sensing.Benchmarks;

/// <summary>
/// The activity pipeline alone (decimation, features, forest, non-wear, HMM) on one hour of in-memory 100 Hz
/// 3-axis data in 4096-sample blocks, as a recording reader hands them over. Report samples/s = 360,000 / mean.
/// </summary>
[MemoryDiagnoser]
public class ActivityPipelineBenchmarks
{
    private const int Samples = 360_000;
    private readonly List<SampleBlock> _blocks = [];
    private ActivityModel _model = null!;
    private float[] _x = [];
    private float[] _sums = [];
    private float[] _scratch = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = ActivityModel.LoadDefault();
        var random = new Random(1);
        var block = new SampleBlock(4096);
        for (var i = 0; i < Samples; i++)
        {
            var t = i / 100.0;
            var swing = (float)Math.Sin(2 * Math.PI * 1.9 * t) * (i % 60_000 < 30_000 ? 1f : 0.01f);
            block.Add(i * 10_000L + random.Next(-1500, 1500), 0.3f * swing, -0.9f + (0.2f * swing), 0.25f + (float)random.NextDouble() * 0.02f);
            if (block.IsFull)
            {
                _blocks.Add(block);
                block = new SampleBlock(4096);
            }
        }

        _blocks.Add(block);
        _x = new float[Samples];
        _sums = new float[Samples / 8];
        _scratch = new float[Samples / 2];
    }

    /// <summary>The whole activity classifier per hour of data.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public int PipelinePerSample()
    {
        var pipeline = new ActivityPipeline(_model);
        foreach (var b in _blocks)
        {
            pipeline.Push(b);
        }

        pipeline.Complete();
        return pipeline.Windows.Count;
    }

    /// <summary>The per-sample decimation kernel alone (one axis, groups of 8).</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public int DecimationPerSample() => ActivityKernels.GroupSums(_x, 8, _sums, _scratch);
}

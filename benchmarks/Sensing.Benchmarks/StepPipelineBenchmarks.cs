using BenchmarkDotNet.Attributes;
using Sensing.Pipeline.Benchmarking;

namespace Sensing.Benchmarks;

/// <summary>
/// The step pipeline, and the whole per-wristband pipeline (steps + activity), over one hour of in-memory int16 x/y/z
/// at 12.5, 25 and 100 Hz, beside a plain vectorised read of the same buffer. Samples per second = samples / mean time.
/// </summary>
[MemoryDiagnoser]
public class StepPipelineBenchmarks
{
    private PipelineWorkload _workload = null!;

    [Params(12.5, 25, 100)]
    public double RateHz { get; set; }

    [GlobalSetup]
    public void Setup() => _workload = new PipelineWorkload(RateHz, (int)(RateHz * 3600));

    [Benchmark]
    public long Steps() => _workload.RunSteps();

    [Benchmark]
    public long StepsAndActivity() => _workload.RunStepsAndActivity();

    [Benchmark(Baseline = true)]
    public long MemoryRead() => _workload.ReadMemory();
}

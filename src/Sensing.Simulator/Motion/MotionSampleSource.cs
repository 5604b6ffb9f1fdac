using Sensing.Core;

namespace Sensing.Simulator.Motion;

/// <summary>A <see cref="MotionGenerator"/> as the simulated wristband's sensor.</summary>
public sealed class MotionSampleSource(MotionGenerator generator) : ISampleSource
{
    /// <inheritdoc />
    public int Read(SampleBlock block) => generator.Read(block);
}

using Sensing.Core;

namespace Sensing.Simulator;

/// <summary>What the simulated wristband's sensor measures: blocks of samples in g at the device's rate.</summary>
public interface ISampleSource
{
    /// <summary>Clears and fills <paramref name="block"/>; returns samples written, 0 when the source is exhausted.</summary>
    int Read(SampleBlock block);
}

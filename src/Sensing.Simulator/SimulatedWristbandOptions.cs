namespace Sensing.Simulator;

/// <summary>How a <see cref="SimulatedWristband"/> is built.</summary>
public sealed record SimulatedWristbandOptions
{
    /// <summary>Boot id at power-on.</summary>
    public byte BootId { get; init; } = 1;

    /// <summary>Flash ring slots of 244 bytes (4096 ≈ 1 MB: about 11 h of walking at 100 Hz).</summary>
    public int StorageSlots { get; init; } = 4096;

    /// <summary>Rate code 0..5 (3 = 100 Hz).</summary>
    public byte RateCode { get; init; } = 3;

    /// <summary>Range code 0..3 (2 = ±8 g).</summary>
    public byte RangeCode { get; init; } = 2;

    /// <summary>How much faster the device's oscillator runs than true time, in ppm (negative = slower).</summary>
    public double ClockDriftPpm { get; init; }

    /// <summary>Historical frames the device can send per second during a backfill.</summary>
    public int BackfillFramesPerSecond { get; init; } = 200;

    /// <summary>Seed of the injected notification loss.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Largest MTU the device accepts.</summary>
    public int MaxMtu { get; init; } = 247;
}

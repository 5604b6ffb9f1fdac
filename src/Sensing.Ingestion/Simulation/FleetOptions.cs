using System.Net;
using Sensing.Simulator;

namespace Sensing.Ingestion.Simulation;

/// <summary>How a <see cref="SimulatedFleet"/> is made.</summary>
public sealed class FleetOptions
{
    /// <summary>Number of bands.</summary>
    public int Bands { get; init; } = 5;

    /// <summary>Id of the first band: ids are <c>SIM-{first + i:D5}</c>, patients <c>p-{first + i:D5}</c>.</summary>
    public int FirstId { get; init; }

    /// <summary>What band <c>i</c> measures (a recording, or a day of the motion model).</summary>
    public required Func<int, ISampleSource> Source { get; init; }

    /// <summary>Device settings of band <c>i</c> (rate, storage, drift, seed).</summary>
    public Func<int, SimulatedWristbandOptions> Device { get; init; } = i => new SimulatedWristbandOptions { RateCode = 1, Seed = i + 1 };

    /// <summary>Faults of band <c>i</c>; empty for none.</summary>
    public Func<int, IReadOnlyList<Fault>> Faults { get; init; } = _ => [];

    /// <summary>Serve each band on a loopback TCP port (from this endpoint's port, +1 per band; port 0 = any free port); null for in-memory links.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>Simulated time zero (the bands power on then); null for the moment the fleet starts.</summary>
    public DateTimeOffset? Origin { get; init; }

    /// <summary>Puts something between band <c>i</c>'s radio and its link (tests make hostile bands with it); null for none.</summary>
    public Func<int, Sensing.Simulator.Link.IGattPeripheral, Sensing.Simulator.Link.IGattPeripheral>? Peripheral { get; init; }

    /// <summary>How often (real time) the bands' clocks are advanced.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(20);
}

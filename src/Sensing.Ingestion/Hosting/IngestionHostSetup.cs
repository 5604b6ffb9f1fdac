using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Hosting;

/// <summary>What a program that hosts the worker decides beyond configuration (the demo: its clock and in-process bands).</summary>
public sealed class IngestionHostSetup
{
    /// <summary>The clock; null for the system clock (or the manifest's simulated clock).</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Resolves <c>memory://ID</c> band addresses (simulated bands in this process).</summary>
    public Func<string, IGattConnector?>? InMemory { get; set; }

    /// <summary>Default folder of the journal and spool.</summary>
    public string DataFolder { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sensing", "worker");

    /// <summary>How long a graceful stop waits for InfluxDB to take what is spooled.</summary>
    public TimeSpan ShutdownFlush { get; set; } = TimeSpan.FromSeconds(10);
}

namespace Sensing.Storage.Spool;

/// <summary>When an append counts as durable.</summary>
public enum SpoolDurability
{
    /// <summary>
    /// Default. An append returns after the record is written and fsynced (group commit: concurrent appends share
    /// one fsync). Survives a process kill and a power loss.
    /// </summary>
    Fsync,

    /// <summary>
    /// An append returns after the record is in the operating system's page cache (write(2), no fsync). Survives a
    /// process kill (kill -9), not a power loss or kernel crash. For benchmarks and disposable deployments.
    /// </summary>
    OsBuffered,
}

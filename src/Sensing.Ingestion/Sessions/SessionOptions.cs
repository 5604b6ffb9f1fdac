namespace Sensing.Ingestion.Sessions;

/// <summary>How a band's session talks to it. Defaults suit a real gateway; tests and the demo shorten some.</summary>
public sealed class SessionOptions
{
    /// <summary>The ATT MTU this side asks for (23..247).</summary>
    public int RequestedMtu { get; init; } = 247;

    /// <summary>How long a control request may wait for its response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often durable progress is acknowledged to the band (its flash is freed only then).</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often READ_CLOCK adds a clock observation (drift estimation).</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the Status characteristic is read and a <c>device</c> point written.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait before asking again for samples that are not in flash yet (the device's open frame).</summary>
    public TimeSpan BackfillRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Samples asked for per BACKFILL at most (bounds what one request can pour in).</summary>
    public int BackfillChunkSamples { get; init; } = 4096;

    /// <summary>Samples held ahead of a gap at most; more are shed (they stay in flash).</summary>
    public int MaxHeldSamples { get; init; } = 1024;

    /// <summary>Notification bytes buffered ahead of the frame reader at most; more are shed.</summary>
    public int MaxBufferedBytes { get; init; } = 16 << 10;

    /// <summary>Samples taken but not yet durable and applied at most; beyond it frames are shed (back-pressure).</summary>
    public int MaxPendingSamples { get; init; } = 8192;

    /// <summary>First reconnect delay (jittered over [0, this]); doubles per failed attempt.</summary>
    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay.</summary>
    public TimeSpan ReconnectCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that lasted this long resets the reconnect backoff.</summary>
    public TimeSpan StableConnection { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often finished minutes are taken from the pipeline and written (samples go into it as they become durable).</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A band connected, caught up and sending no new samples for this long has stopped its sensor (or its
    /// recording ended): its pipeline is completed so its last hour of minutes is stored.
    /// </summary>
    public TimeSpan CompleteWhenIdle { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Corrupt runs on one connection beyond which the band is treated as sending garbage.</summary>
    public int GarbageLimit { get; init; } = 16;

    /// <summary>How far a frame's last sample may lie beyond the band's clock now (transport latency, clock noise).</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A clock running this far off nominal is not a crystal: impossible clock.</summary>
    public double MaxDriftPpm { get; init; } = 2000;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (RequestedMtu is < 23 or > 247 || BackfillChunkSamples < 255 || MaxHeldSamples < 255 || MaxBufferedBytes < 4096
            || MaxPendingSamples < 1024 || RequestTimeout <= TimeSpan.Zero || AckInterval <= TimeSpan.Zero || ClockInterval <= TimeSpan.Zero
            || StatusInterval <= TimeSpan.Zero || PushInterval <= TimeSpan.Zero || CompleteWhenIdle <= TimeSpan.Zero || ReconnectInitial <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Session settings out of range: RequestedMtu {RequestedMtu} (23..247), BackfillChunkSamples {BackfillChunkSamples} (>= 255), " +
                $"MaxHeldSamples {MaxHeldSamples} (>= 255), MaxBufferedBytes {MaxBufferedBytes} (>= 4096), MaxPendingSamples {MaxPendingSamples} (>= 1024), " +
                "and every interval positive.");
        }
    }
}

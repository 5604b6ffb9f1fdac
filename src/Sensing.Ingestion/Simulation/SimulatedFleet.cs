using System.Net;
using System.Text.Json;
using Sensing.Ingestion.Hosting;
using Sensing.Protocol.Link;
using Sensing.Simulator;
using Sensing.Simulator.Link;
using Sensing.Simulator.Link.Loopback;

namespace Sensing.Ingestion.Simulation;

/// <summary>One simulated band of a fleet.</summary>
public sealed class FleetBand
{
    internal FleetBand(string id, string patient, SimulatedWristband device, RadioRange radio, IGattPeripheral peripheral, IReadOnlyList<Fault> faults)
    {
        Id = id;
        Patient = patient;
        Device = device;
        Radio = radio;
        Peripheral = peripheral;
        Faults = faults;
        InMemory = new InMemoryGattConnector(peripheral);
    }

    /// <summary>Band id.</summary>
    public string Id { get; }

    /// <summary>Patient pseudonym.</summary>
    public string Patient { get; }

    /// <summary>The simulated device.</summary>
    public SimulatedWristband Device { get; }

    /// <summary>Its radio range (out of range while away).</summary>
    public RadioRange Radio { get; }

    /// <summary>What centrals talk to (the radio, or what a test put in front of it).</summary>
    public IGattPeripheral Peripheral { get; }

    /// <summary>Its fault schedule.</summary>
    public IReadOnlyList<Fault> Faults { get; }

    /// <summary>The in-process connector.</summary>
    public IGattConnector InMemory { get; }

    /// <summary>The loopback server, when the fleet listens.</summary>
    public LoopbackGattServer? Server { get; internal set; }

    /// <summary>Faults applied so far.</summary>
    public int FaultsApplied { get; internal set; }

    /// <summary>True when the sensor has nothing more to measure and every stored sample was acknowledged.</summary>
    public bool Drained => Device.SourceExhausted && Device.Device.Ring.Count == 0;

    internal bool StorageClosed { get; set; }

    internal Lock Clock { get; } = new();

    internal TimeSpan AdvancedTo { get; set; }
}

/// <summary>
/// Simulated wristbands for the demo, the tests and <c>sensing simulate</c>: each a <see cref="SimulatedWristband"/>
/// behind a <see cref="RadioRange"/>, reachable in memory or on a loopback port, advanced on a (possibly scaled)
/// clock, with its faults applied on schedule.
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly FleetOptions _options;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;

    private SimulatedFleet(FleetOptions options, TimeProvider time, List<FleetBand> bands)
    {
        _options = options;
        _time = time;
        Bands = bands;
        _origin = options.Origin ?? time.GetUtcNow();
    }

    /// <summary>The bands, in id order.</summary>
    public IReadOnlyList<FleetBand> Bands { get; }

    /// <summary>Simulated time since the fleet started.</summary>
    public TimeSpan Elapsed => _time.GetUtcNow() - _origin;

    /// <summary>True when every band's sensor has finished and all it stored was acknowledged.</summary>
    public bool Drained => Bands.All(b => b.Drained);

    /// <summary>Creates the bands (and, when listening, starts their loopback servers). Simulated time 0 is now.</summary>
    public static SimulatedFleet Start(FleetOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bands = new List<FleetBand>(options.Bands);
        var pending = new List<Action<SimulatedFleet>>(options.Bands);
        for (var i = 0; i < options.Bands; i++)
        {
            var n = options.FirstId + i;
            var device = new SimulatedWristband(options.Source(i), options.Device(i));
            FleetBand? band = null;
            SimulatedFleet? fleet = null;
            var radio = new RadioRange(device, () => fleet?.Advance(band!, fleet.Elapsed));
            var peripheral = options.Peripheral?.Invoke(i, radio) ?? radio;
            band = new FleetBand($"SIM-{n:D5}", $"p-{n:D5}", device, radio, peripheral, options.Faults(i));
            if (options.Listen is { } listen)
            {
                band.Server = new LoopbackGattServer(peripheral, port: listen.Port == 0 ? 0 : listen.Port + i);
                band.Server.Start();
            }

            bands.Add(band);
            pending.Add(f => fleet = f);
        }

        var created = new SimulatedFleet(options, time, bands);
        pending.ForEach(set => set(created));
        return created;
    }

    /// <summary>Advances every band's clock (and applies due faults) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Step);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Elapsed;
                if (Bands.Count > 64)
                {
                    Parallel.ForEach(Bands, band => Advance(band, now));
                }
                else
                {
                    foreach (var band in Bands)
                    {
                        Advance(band, now);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the manifest <c>sensing run --manifest</c> reads: the clock and every band's address.</summary>
    public void WriteManifest(string path, ScaledTimeProvider? clock)
    {
        var manifest = new FleetManifest(
            clock is null ? null : new FleetClock(clock.Start, clock.RealStart, clock.Speed),
            [.. Bands.Select(b => new FleetManifestBand(b.Id, b.Patient, b.Server is null ? $"memory://{b.Id}" : $"loopback://{b.Server.EndPoint}"))]);
        manifest.Write(path);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var band in Bands)
        {
            if (band.Server is not null)
            {
                await band.Server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Brings one band up to simulated time <paramref name="now"/> (the first step covers the time since the origin).</summary>
    private void Advance(FleetBand band, TimeSpan now)
    {
        lock (band.Clock)
        {
            if (now > band.AdvancedTo)
            {
                Step(band, now, now - band.AdvancedTo);
                band.AdvancedTo = now;
            }
        }
    }

    private static void Step(FleetBand band, TimeSpan now, TimeSpan step)
    {
        while (band.FaultsApplied < band.Faults.Count && band.Faults[band.FaultsApplied].At <= now)
        {
            Apply(band, band.Faults[band.FaultsApplied]);
            band.FaultsApplied++;
        }

        band.Device.Advance(step);
        if (band.Device.SourceExhausted && !band.StorageClosed)
        {
            // The sensor stopped: the band closes its open frame as on an orderly shutdown, so every sample can be backfilled.
            band.Device.FlushStorage();
            band.StorageClosed = true;
        }
    }

    private static void Apply(FleetBand band, Fault fault)
    {
        var device = band.Device;
        switch (fault.Kind)
        {
            case FaultKind.DropNotifications:
                device.DropNextNotifications = fault.Value;
                break;
            case FaultKind.Disconnect:
                device.Disconnect();
                break;
            case FaultKind.DisconnectMidBackfill:
                device.DisconnectAfterBackfillFrames = fault.Value;
                break;
            case FaultKind.ChangeMtu:
                device.ChangeMtu(fault.Value);
                break;
            case FaultKind.Reset:
                device.FlushStorage(); // orderly: the open frame is stored first, nothing is lost
                device.Reset();
                break;
            case FaultKind.LossyStart:
                device.NotificationLossProbability = 0.05;
                break;
            case FaultKind.LossyEnd:
                device.NotificationLossProbability = 0;
                break;
            case FaultKind.OutOfRange:
                band.Radio.OutOfRange = true;
                break;
            case FaultKind.BackInRange:
                band.Radio.OutOfRange = false;
                break;
        }
    }
}

/// <summary>What <c>sensing simulate</c> tells <c>sensing run</c>: the shared clock and the bands' addresses.</summary>
public sealed record FleetManifest(FleetClock? Clock, IReadOnlyList<FleetManifestBand> Bands)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the manifest (atomically: readers never see half a file).</summary>
    public void Write(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a manifest file.</summary>
    /// <exception cref="InvalidDataException">The file is not a fleet manifest; the message names it.</exception>
    public static FleetManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<FleetManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty fleet manifest.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a fleet manifest ({ex.Message}).", ex);
        }
    }
}

/// <summary>A scaled simulated clock: simulated <paramref name="Start"/> at real <paramref name="RealStart"/>, <paramref name="Speed"/>×.</summary>
public sealed record FleetClock(DateTimeOffset Start, DateTimeOffset RealStart, double Speed);

/// <summary>One band of a manifest.</summary>
public sealed record FleetManifestBand(string Id, string Patient, string Address);

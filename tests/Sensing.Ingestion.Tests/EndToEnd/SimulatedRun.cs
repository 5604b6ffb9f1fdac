using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Processing;
using Sensing.Ingestion.Sessions;
using Sensing.Ingestion.Simulation;
using Sensing.Simulator;
using Sensing.Simulator.Link;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>
/// A fleet of simulated bands and the worker in one process, on a shared clock running <see cref="Speed"/> times
/// faster than real time, starting at a whole minute of UTC.
/// </summary>
internal sealed class SimulatedRun : IAsyncDisposable
{
    public const double Speed = 60;

    public static readonly SessionOptions Session = new()
    {
        RequestTimeout = TimeSpan.FromMinutes(10), // 10 real seconds at 60x: a loaded CI machine is not a silent band
        AckInterval = TimeSpan.FromSeconds(5),
        ClockInterval = TimeSpan.FromMinutes(1),
        StatusInterval = TimeSpan.FromMinutes(1),
        BackfillRetry = TimeSpan.FromSeconds(2),
        ReconnectInitial = TimeSpan.FromSeconds(2),
        ReconnectCap = TimeSpan.FromSeconds(20),
        PushInterval = TimeSpan.FromMilliseconds(500),
        CompleteWhenIdle = TimeSpan.FromMinutes(1),
    };

    private readonly CancellationTokenSource _stop = new();
    private Task? _driver;

    private SimulatedRun(ScaledTimeProvider clock, SimulatedFleet fleet, string journal)
    {
        Clock = clock;
        Fleet = fleet;
        JournalDirectory = journal;
    }

    public ScaledTimeProvider Clock { get; }

    public SimulatedFleet Fleet { get; }

    public string JournalDirectory { get; }

    public CollectingSink Sink { get; } = new();

    public ListLoggerFactory Logs { get; } = new();

    public IngestionRuntime? Runtime { get; private set; }

    /// <summary>UTC start of the simulation (a whole minute), microseconds since 1970.</summary>
    public long StartMicros => Clock.Start.ToUnixTimeMilliseconds() * 1000;

    public static SimulatedRun Start(string journal, int bands, TestRecording recording, Func<int, IReadOnlyList<Fault>>? faults = null,
        double driftPpm = 100, Func<int, IGattPeripheral, IGattPeripheral>? peripheral = null)
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddDays(-1);
        var clock = new ScaledTimeProvider(start, Speed);
        var fleet = SimulatedFleet.Start(new FleetOptions
        {
            Bands = bands,
            Source = _ => recording.Source(),
            Device = i => new SimulatedWristbandOptions { RateCode = 1, Seed = i + 1, ClockDriftPpm = i % 2 == 0 ? driftPpm : -driftPpm },
            Faults = faults ?? (_ => []),
            Origin = start,
            Peripheral = peripheral,
        }, clock);
        var run = new SimulatedRun(clock, fleet, journal);
        run._driver = fleet.RunAsync(run._stop.Token);
        run.StartWorker();
        return run;
    }

    public void StartWorker()
    {
        var endpoints = Fleet.Bands.Select(b => new BandEndpoint(new BandIdentity(b.Id, b.Patient), b.InMemory)).ToList();
        Runtime = new IngestionRuntime(new SampleJournalOptions { Directory = JournalDirectory }, Session, endpoints, Sink, new IngestionMetrics(), Logs, Clock);
        Runtime.Start();
    }

    public async Task StopWorkerAsync()
    {
        if (Runtime is not null)
        {
            await Runtime.DisposeAsync();
            Runtime = null;
        }
    }

    /// <summary>Waits (real time) until every band is drained and its stream completed.</summary>
    public async Task WaitUntilCompleteAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Fleet.Drained && Runtime!.Snapshot().All(s => s.StreamsCompleted > 0 && !s.PipelineOpen && s.PendingSamples == 0))
            {
                return;
            }

            await Task.Delay(200);
        }

        var rows = string.Join("\n", Runtime!.Snapshot().Select(s => s.ToString()));
        var bands = string.Join("\n", Fleet.Bands.Select(b => $"{b.Id}: exhausted {b.Device.SourceExhausted}, stored frames {b.Device.Device.Ring.Count}, faults {b.FaultsApplied}/{b.Faults.Count}"));
        throw new TimeoutException($"The run did not complete within {timeout}:\n{rows}\n{bands}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        await _stop.CancelAsync();
        if (_driver is not null)
        {
            await _driver;
        }

        await Fleet.DisposeAsync();
        _stop.Dispose();
    }
}

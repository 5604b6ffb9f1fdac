using Sensing.Ingestion.Simulation;
using Sensing.Testing;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>
/// Nothing lost, nothing doubled: bands playing the same recording through every fault the simulator has, with
/// 100 ppm of clock drift, store exactly the minutes (steps, and the ENMO of each minute's samples) of the recording fed to the pipeline in one go.
/// </summary>
public sealed class FaultyStreamTests
{
    private static readonly TestRecording Recording = TestRecording.Generate(minutes: 30);

    [Fact]
    public async Task Every_band_stores_the_recordings_minutes_exactly_through_faults_and_drift()
    {
        using var folder = new TempFolder("sensing-ingest");
        await using var run = SimulatedRun.Start(folder.Path, bands: 3, Recording, i => FaultPlan.Standard(Recording.Duration, i));
        await run.WaitUntilCompleteAsync(TimeSpan.FromMinutes(3));
        var snapshots = run.Runtime!.Snapshot();
        await run.StopWorkerAsync();

        var (steps, minutes) = Recording.Reference(run.StartMicros);
        var enmo = Recording.ReferenceEnmo(run.StartMicros);
        Assert.True(steps > 500, $"the recording should hold plenty of steps, reference counted {steps}");
        foreach (var band in run.Fleet.Bands)
        {
            Assert.True(band.FaultsApplied == band.Faults.Count, $"{band.Id} applied {band.FaultsApplied} of {band.Faults.Count} faults");
            var stored = run.Sink.Of(band.Id);
            var snapshot = snapshots.Single(s => s.Band == band.Id);
            Assert.Equal(Recording.Count, snapshot.Samples);
            Assert.Equal(0, snapshot.LostSamples);
            Assert.True(snapshot.Connections > 5, $"{band.Id} connected only {snapshot.Connections} times: the faults did not bite");
            Assert.Equal(steps, stored.Sum(m => m.Epoch.Steps));
            Assert.Equal(minutes.Select(m => (m.Steps, m.Classified)), stored.Select(m => (m.Epoch.Steps, m.Epoch.ClassifiedSeconds)));
            Assert.Equal(minutes.Select(m => m.StartMicros), stored.Select(m => m.Epoch.StartMicros));
            Assert.All(stored, m => Assert.Equal(enmo[m.Epoch.StartMicros], m.EnmoMilliG, 9));

            // Stored UTC times follow the band's clock fit, near the band's own clock (100 ppm is 0.2 s in 30 min). The bound is
            // loose because the 60x clock turns a machine's scheduling delays into seconds of round trip: 50 ms is 3 s.
            foreach (var m in stored)
            {
                var error = Math.Abs((m.Start.ToUnixTimeMilliseconds() * 1000) - m.Epoch.StartMicros);
                Assert.True(error < 10e6, $"{band.Id} minute {m.Start:O} is {error} µs from the band's clock");
            }
        }
    }
}

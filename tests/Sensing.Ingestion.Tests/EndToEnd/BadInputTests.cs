using Sensing.Ingestion.Sessions;
using Sensing.Testing;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>
/// Bad input is isolated: a band that sends garbage, an impossible clock, a replayed old boot id or frames from the
/// future has its session reset and reported, while the band beside it is untouched; and since the bad band's flash
/// is honest, what it sent wrong is backfilled once it behaves, so both store the recording exactly.
/// </summary>
public sealed class BadInputTests
{
    private static readonly TestRecording Recording = TestRecording.Generate(minutes: 8, seed: 3);

    [Theory]
    [InlineData(Hostility.Garbage, SessionFaultKind.Garbage)]
    [InlineData(Hostility.ImpossibleClock, SessionFaultKind.ImpossibleClock)]
    [InlineData(Hostility.ReplayedBootId, SessionFaultKind.ReplayedBoot)]
    [InlineData(Hostility.FutureFrames, SessionFaultKind.FutureFrame)]
    public async Task A_misbehaving_band_is_reset_and_reported_and_its_neighbour_is_untouched(Hostility hostility, SessionFaultKind expected)
    {
        using var folder = new TempFolder("sensing-bad");
        HostileBand? hostile = null;
        await using var run = SimulatedRun.Start(folder.Path, bands: 2, Recording,
            peripheral: (i, radio) => i == 1 ? hostile = new HostileBand(radio, hostility) : radio);

        // Misbehave from minute 2 to minute 4 of the recording (simulated time).
        while (run.Fleet.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        // ... and on until the gateway has noticed, at most to minute 6: a clock is read once a simulated minute (a
        // real second), and a machine busy with other tests can hold a read back past a two-minute window.
        hostile!.Active = true;
        var tag = SessionFaults.Tag(expected);
        bool Reported() => Reports(run).Any(r => r.Contains("SIM-00001", StringComparison.Ordinal) && r.Contains($"({tag})", StringComparison.Ordinal));
        while (run.Fleet.Elapsed < TimeSpan.FromMinutes(4) || (!Reported() && run.Fleet.Elapsed < TimeSpan.FromMinutes(6)))
        {
            await Task.Delay(50);
        }

        hostile.Active = false;
        await run.WaitUntilCompleteAsync(TimeSpan.FromMinutes(2));
        var snapshots = run.Runtime!.Snapshot();
        await run.StopWorkerAsync();

        var reports = Reports(run);
        Assert.True(Reported(), $"SIM-00001 reported as {tag}; reports: [{string.Join("; ", reports)}]");
        Assert.DoesNotContain(reports, r => r.Contains("SIM-00000", StringComparison.Ordinal));
        Assert.True(snapshots[0].Connections == 1, $"the honest band reconnected: {snapshots[0]}");

        var (steps, minutes) = Recording.Reference(run.StartMicros);
        foreach (var band in run.Fleet.Bands)
        {
            var stored = run.Sink.Of(band.Id);
            Assert.Equal(steps, stored.Sum(m => m.Epoch.Steps));
            Assert.Equal(minutes.Select(m => (m.StartMicros, m.Steps)), stored.Select(m => (m.Epoch.StartMicros, m.Epoch.Steps)));
        }
    }

    // The worker's reports of a band's session reset for bad input (event 5006).
    private static List<string> Reports(SimulatedRun run) => run.Logs.Lines.Where(l => l.EventId == 5006).Select(l => l.Message).ToList();
}

using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary><c>sensing demo</c>: the main job works with nothing but the project itself.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public void A_short_simulated_day_is_written_and_replayed()
    {
        using var folder = new TempFolder("sensing-demo");
        var outcome = SensingProcess.Run(folder, "demo", "replay", "--hours", "1", "--out", folder.Path);
        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        var recording = Assert.Single(Directory.GetFiles(folder.Path, "*.csv"));
        Assert.Contains("steps counted", outcome.StandardOutput);

        // The recording it wrote is an ordinary recording: replay reads it back.
        var replay = SensingProcess.Run(folder, "replay", recording, "--json");
        Assert.Equal(0, replay.ExitCode);
        Assert.InRange(Assert.Single(replay.JsonLines()).GetProperty("durationSeconds").GetDouble(), 3590, 3600);
    }

    [Fact]
    public void The_demo_runs_influxd_simulated_bands_and_the_worker_and_ends_by_itself_and_a_second_run_replaces_the_first()
    {
        using var folder = new TempFolder("sensing-demo");
        var first = RunDemo(folder, realMinutes: 0.75);
        Assert.Contains("Simulated time runs 1200", first.StandardOutput);
        Assert.Contains("Where to look", first.StandardOutput);
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "influxdb", "data")), "the private influxd keeps its data under --data");
        Assert.All(StoredMinutes(first), m => Assert.True(m > 60, $"{m} minutes stored"));

        // The same day again on the same server, shorter: the closing table counts this run's minutes, not what is
        // left of the first run's. A tenth of a real minute at 1200x is 120 simulated minutes, a few more while it
        // stops; how many the first run stored depends on how busy the machine was, so it is not compared.
        var second = RunDemo(folder, realMinutes: 0.1);
        Assert.Contains("was cleared from sensing_demo", second.StandardOutput);
        Assert.All(StoredMinutes(second), m => Assert.InRange(m, 0, 0.1 * 1200 * 2));
    }

    private static SensingProcess.Outcome RunDemo(TempFolder folder, double realMinutes)
    {
        var outcome = SensingProcess.Run(folder, "demo", "--minutes", realMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--speed", "1200", "--bands", "2", "--data", folder.Path);
        Assert.True(outcome.ExitCode == 0, outcome.StandardError + outcome.StandardOutput);
        return outcome;
    }

    // The closing table is read back from InfluxDB: minutes stored for each band.
    private static List<int> StoredMinutes(SensingProcess.Outcome outcome)
        => [.. new[] { "SIM-00000", "SIM-00001" }.Select(band =>
        {
            var row = outcome.StandardOutput.Split('\n').Last(l => l.Contains(band, StringComparison.Ordinal));
            var cells = row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture);
        })];

    [Fact]
    public void Bad_options_are_refused_with_a_message()
    {
        using var folder = new TempFolder("sensing-demo");
        var outcome = SensingProcess.Run(folder, "demo", "replay", "--hours", "-3", "--out", folder.Path);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--hours", outcome.StandardError);
    }
}

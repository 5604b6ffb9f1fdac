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
    public void The_demo_runs_influxd_simulated_bands_and_the_worker_and_ends_by_itself()
    {
        using var folder = new TempFolder("sensing-demo");
        var outcome = SensingProcess.Run(folder, "demo", "--minutes", "0.75", "--speed", "1200", "--bands", "2", "--data", folder.Path);
        Assert.True(outcome.ExitCode == 0, outcome.StandardError + outcome.StandardOutput);
        Assert.Contains("Simulated time runs 1200", outcome.StandardOutput);
        Assert.Contains("Where to look", outcome.StandardOutput);
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "influxdb", "data")), "the private influxd keeps its data under --data");
        foreach (var band in new[] { "SIM-00000", "SIM-00001" })
        {
            // The closing table is read back from InfluxDB: minutes stored for each band.
            var row = outcome.StandardOutput.Split('\n').Last(l => l.Contains(band, StringComparison.Ordinal));
            var cells = row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture) > 60, $"{band}: {row}");
        }
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message()
    {
        using var folder = new TempFolder("sensing-demo");
        var outcome = SensingProcess.Run(folder, "demo", "replay", "--hours", "-3", "--out", folder.Path);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--hours", outcome.StandardError);
    }
}

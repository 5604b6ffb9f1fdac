using System.Globalization;
using System.Text;
using System.Text.Json;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary><c>sensing replay</c> as a researcher uses it: files and folders in, one JSON line per recording out.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("sensing-cli");

    public void Dispose() => _folder.Dispose();

    private string WriteRecording(string relative, int seconds, bool walking) => SyntheticRecording.Write(_folder, relative, seconds, walking);

    [Fact]
    public void Json_line_per_recording_with_the_documented_fields()
    {
        WriteRecording("walk.csv", 60, walking: true);
        var outcome = SensingProcess.Run(_folder, "replay", "walk.csv", "--json", "--units", "g");
        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.JsonLines());
        Assert.Equal("walk.csv", line.GetProperty("file").GetString());
        Assert.Equal(1500, line.GetProperty("samples").GetInt64());
        Assert.InRange(line.GetProperty("sampleRateHz").GetDouble(), 24.99, 25.01);
        Assert.InRange(line.GetProperty("durationSeconds").GetDouble(), 59.9, 60.1);
        Assert.True(line.GetProperty("steps").GetInt64() >= 0);
    }

    [Fact]
    public void Rhythm_lines_follow_each_recording_one_per_second_the_counter_judged()
    {
        WriteRecording("walk.csv", 60, walking: true);
        var outcome = SensingProcess.Run(_folder, "replay", "walk.csv", "--json", "--rhythm", "--units", "g");
        Assert.Equal(0, outcome.ExitCode);
        var lines = outcome.JsonLines().ToList();
        Assert.False(lines[0].TryGetProperty("type", out _));
        var seconds = lines.Skip(1).ToList();
        Assert.InRange(seconds.Count, 50, 60);
        Assert.All(seconds, l => Assert.Equal("second", l.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, seconds.Count).Select(i => seconds[0].GetProperty("startSeconds").GetInt64() + i), seconds.Select(l => l.GetProperty("startSeconds").GetInt64()));
        Assert.All(seconds, l => Assert.Contains(l.GetProperty("gate").GetString(), new[] { "idle", "candidate", "walking" }));
        Assert.Contains(seconds, l => l.GetProperty("gate").GetString() == "walking" && l.GetProperty("strength").GetDouble() > 0.5);
        Assert.True(lines[0].GetProperty("counterSteps").GetInt64() >= seconds[^1].GetProperty("steps").GetInt64());
    }

    [Fact]
    public void Rhythm_without_json_is_a_usage_error()
    {
        WriteRecording("walk.csv", 20, walking: true);
        var outcome = SensingProcess.Run(_folder, "replay", "walk.csv", "--rhythm");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--rhythm writes JSON lines", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_recursed_in_order_and_shown_joined_with_each_relative_path()
    {
        WriteRecording(Path.Combine("data", "walk_mod", "b.csv"), 20, walking: false);
        WriteRecording(Path.Combine("data", "walk_mod", "a.csv"), 20, walking: false);
        WriteRecording(Path.Combine("data", "lying", "c.csv"), 20, walking: false);
        var outcome = SensingProcess.Run(_folder, "replay", "data", "--json");
        Assert.Equal(0, outcome.ExitCode);
        var files = outcome.JsonLines().Select(l => l.GetProperty("file").GetString()).ToList();
        Assert.Equal(
            [Path.Combine("data", "lying", "c.csv"), Path.Combine("data", "walk_mod", "a.csv"), Path.Combine("data", "walk_mod", "b.csv")],
            files);
    }

    [Fact]
    public void An_android_sensor_log_folder_replays_its_recording_and_leaves_the_step_truth_beside_it_to_eval()
    {
        // The Oxford layout: trace/accelerometer.csv (ns, accuracy, x, y, z in m/s², no header) and its foot-switch log.
        var trace = _folder.File("trace");
        Directory.CreateDirectory(trace);
        var rows = Enumerable.Range(0, 60 * 100).Select(i =>
        {
            var t = i / 100.0;
            var swing = 0.5 * Math.Sin(Math.PI * 1.8 * t);
            var bounce = 0.2 * Math.Cos(2 * Math.PI * 1.8 * t);
            return string.Create(CultureInfo.InvariantCulture, $"{557214677910L + (i * 10_000_000L)},3,{9.80665 * Math.Sin(swing) * (1 + bounce):0.0000},0.98,{-9.80665 * Math.Cos(swing) * (1 + bounce):0.0000}");
        });
        File.WriteAllLines(Path.Combine(trace, "accelerometer.csv"), rows);
        File.WriteAllLines(Path.Combine(trace, "stepcounter.csv"), Enumerable.Range(0, 100).Select(i => $"{557214677910L + (i * 555_000_000L)},1,1"));

        var outcome = SensingProcess.Run(_folder, "replay", "trace", "--json");

        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.JsonLines());
        Assert.Equal(Path.Combine("trace", "accelerometer.csv"), line.GetProperty("file").GetString());
        Assert.InRange(line.GetProperty("sampleRateHz").GetDouble(), 99.9, 100.1);
        Assert.InRange(line.GetProperty("steps").GetInt64(), 90, 110); // 1.8 steps/s for a minute
        Assert.Contains(line.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("Android sensor log", StringComparison.Ordinal));
    }

    [Fact]
    public void A_still_wrist_counts_no_steps()
    {
        WriteRecording("still.csv", 120, walking: false);
        var line = Assert.Single(SensingProcess.Run(_folder, "replay", "still.csv", "--json").JsonLines());
        Assert.Equal(0, line.GetProperty("steps").GetInt64());
    }

    [Fact]
    public void A_bad_cell_is_named_by_file_and_line_with_exit_code_2_and_the_good_files_still_reported()
    {
        WriteRecording("good.csv", 20, walking: false);
        File.WriteAllText(_folder.File("bad.csv"), "Time (ms),X,Y,Z\n0,0,0,1\n40,0,zero,1\n");
        var outcome = SensingProcess.Run(_folder, "replay", "good.csv", "bad.csv", "--json");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("bad.csv", outcome.StandardError);
        Assert.Contains("bad.csv:3:", outcome.StandardError); // file:line, as compilers write it
        Assert.DoesNotContain("   at ", outcome.StandardError); // no stack trace
        Assert.Equal("good.csv", Assert.Single(outcome.JsonLines()).GetProperty("file").GetString());
    }

    [Fact]
    public void The_table_view_says_how_many_recordings_failed_and_prints_no_empty_table()
    {
        WriteRecording("good.csv", 20, walking: false);
        File.WriteAllText(_folder.File("bad.csv"), "Time (ms),X,Y,Z\n0,0,0,1\n40,0,zero,1\n");

        var both = SensingProcess.Run(_folder, "replay", "good.csv", "bad.csv");
        var onlyBad = SensingProcess.Run(_folder, "replay", "bad.csv");

        Assert.Equal(2, both.ExitCode);
        Assert.Contains("good.csv", both.StandardOutput);
        Assert.Contains("1 of 2 recording(s) could not be read", both.StandardOutput);
        Assert.Equal(2, onlyBad.ExitCode);
        Assert.DoesNotContain("recording", onlyBad.StandardOutput.Replace("1 of 1 recording(s) could not be read", string.Empty, StringComparison.Ordinal));
        Assert.Contains("bad.csv:3:", onlyBad.StandardError);
    }

    [Fact]
    public void The_table_view_counts_a_folder_without_recordings_as_a_folder_not_as_a_failed_recording()
    {
        WriteRecording("walks/walk.csv", 20, walking: false);
        File.WriteAllText(_folder.File("bad.csv"), "Time (ms),X,Y,Z\n0,0,0,1\n40,0,zero,1\n");
        Directory.CreateDirectory(_folder.File("exports"));
        File.WriteAllBytes(_folder.File("exports/day.gt3x"), [0x50, 0x4B, 3, 4]);

        var outcome = SensingProcess.Run(_folder, "replay", "walks", "bad.csv", "exports", "--units", "g");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("walk.csv", outcome.StandardOutput);
        Assert.Contains("1 of 2 recording(s) could not be read; 1 folder(s) held no recording", outcome.StandardOutput);
        Assert.Contains("exports: a folder with no recordings", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_column_and_an_unknown_unit_are_clear_errors()
    {
        File.WriteAllText(_folder.File("two.csv"), "Time (ms),X,Y\n0,0,0\n");
        var missing = SensingProcess.Run(_folder, "replay", "two.csv", "--json");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("two.csv", missing.StandardError);

        WriteRecording("ok.csv", 10, walking: false);
        var unit = SensingProcess.Run(_folder, "replay", "ok.csv", "--units", "furlongs");
        Assert.Equal(2, unit.ExitCode);
        Assert.Contains("furlongs", unit.StandardError);
        Assert.DoesNotContain("   at ", unit.StandardError);
    }

    [Fact]
    public void An_empty_file_gives_a_zero_result()
    {
        File.WriteAllText(_folder.File("empty.csv"), "");
        var outcome = SensingProcess.Run(_folder, "replay", "empty.csv", "--json");
        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.JsonLines());
        Assert.Equal(0, line.GetProperty("samples").GetInt64());
        Assert.Equal(0, line.GetProperty("steps").GetInt64());
    }

    [Fact]
    public void A_path_that_does_not_exist_is_named()
    {
        var outcome = SensingProcess.Run(_folder, "replay", "nowhere.csv", "--json");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("nowhere.csv", outcome.StandardError);
    }

    [Fact]
    public void A_folder_without_recordings_is_named_with_what_it_holds_and_the_other_folders_still_replay()
    {
        WriteRecording("walks/walk.csv", 60, walking: true);
        Directory.CreateDirectory(_folder.File("exports"));
        File.WriteAllBytes(_folder.File("exports/day.gt3x"), [0x50, 0x4B, 3, 4]);
        File.WriteAllText(_folder.File("exports/notes.txt"), "worn on the left wrist");

        var outcome = SensingProcess.Run(_folder, "replay", "exports", "walks", "--json", "--units", "g");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("exports: a folder with no recordings", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("day.gt3x, notes.txt", outcome.StandardError, StringComparison.Ordinal);
        var line = Assert.Single(outcome.JsonLines());
        Assert.Equal(Path.Combine("walks", "walk.csv"), line.GetProperty("file").GetString());
    }

    [SharedDataFact("wrist-steps-banglejs")]
    public void A_real_controlled_walk_replays_near_its_hand_count()
    {
        var file = Path.Combine(SharedData.Folder("wrist-steps-banglejs")!, "100_2.csv");
        var line = Assert.Single(SensingProcess.Run(_folder, "replay", file, "--json", "--counts-per-g", "8192").JsonLines());
        Assert.Equal(file, line.GetProperty("file").GetString());
        Assert.InRange(line.GetProperty("steps").GetInt64(), 90, 110);
    }

    [SharedDataFact("wrist-steps-banglejs")]
    public void Desk_work_on_a_BangleJs_reads_as_sedentary_in_the_wrist_frame_and_as_standing_without_it()
    {
        // The classifier learned posture in the AX3's frame; Bangle.js holds the forearm along its x axis.
        var file = Path.Combine(SharedData.Folder("wrist-steps-banglejs")!, "HughB-work-0.csv");
        double Share(JsonElement line, params string[] classes)
        {
            var seconds = line.GetProperty("activitySeconds");
            var total = seconds.EnumerateObject().Sum(p => p.Value.GetDouble());
            return classes.Sum(c => seconds.GetProperty(c).GetDouble()) / total;
        }

        var mapped = Assert.Single(SensingProcess.Run(_folder, "replay", file, "--json", "--counts-per-g", "8192", "--axes", "banglejs").JsonLines());
        var device = Assert.Single(SensingProcess.Run(_folder, "replay", file, "--json", "--counts-per-g", "8192").JsonLines());
        Assert.True(Share(mapped, "sitting", "lying") > 0.8, $"sedentary share {Share(mapped, "sitting", "lying"):P0} in the wrist frame");
        Assert.True(Share(device, "standing") > 0.8, "in the device frame the same hour reads as standing");
        Assert.Equal(0, mapped.GetProperty("steps").GetInt64());
    }

    [SharedDataFact("wrist-steps-banglejs")]
    public void A_walk_that_shows_the_forearm_on_another_axis_says_so_until_the_axes_are_given()
    {
        var file = Path.Combine(SharedData.Folder("wrist-steps-banglejs")!, "HughB-walk-2350.csv");
        string[] Notes(params string[] extra) => Assert.Single(SensingProcess.Run(_folder, ["replay", file, "--json", "--counts-per-g", "8192", .. extra]).JsonLines())
            .GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();

        Assert.Contains(Notes(), n => n.Contains("forearm lay along the x axis", StringComparison.Ordinal));
        Assert.DoesNotContain(Notes("--axes", "banglejs"), n => n.Contains("forearm", StringComparison.Ordinal));
    }
}

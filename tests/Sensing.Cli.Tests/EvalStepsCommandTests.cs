using Sensing.Cli.Evaluation;
using Sensing.Cli.Replay;
using Sensing.Pipeline;
using Sensing.Recordings;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary>
/// <c>sensing eval steps</c> and its <c>--phases</c>: where the counter's whole seconds fall in a recording is an
/// accident of when it started, and the spread over that accident is part of the score.
/// </summary>
public sealed class EvalStepsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("sensing-eval");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_clock_moved_on_by_a_whole_minute_changes_no_step_and_step_times_come_back_on_the_recordings_clock()
    {
        var asRecorded = ReplayWalk(0);
        var moved = ReplayWalk(60_000_000); // a minute holds whole seconds, grid steps (80 ms) and activity windows alike

        Assert.InRange(asRecorded.Steps, 90, 110);
        Assert.Equal(asRecorded.StepTimes, moved.StepTimes);
    }

    [Fact]
    public void A_clock_moved_on_by_part_of_a_second_finds_the_same_steps_within_the_matching_tolerance()
    {
        var asRecorded = ReplayWalk(0);
        var moved = ReplayWalk(500_000);

        var (matched, _, _) = StepMatching.Match(asRecorded.StepTimes!, moved.StepTimes!, 250_000);
        Assert.True(matched >= asRecorded.Steps * 0.95, $"{matched} of {asRecorded.Steps} steps found again");
    }

    [Fact]
    public void Phases_add_each_recordings_range_and_the_spread_of_the_summary()
    {
        SyntheticRecording.Write(_folder, "walk.csv", 60, walking: true);
        SyntheticRecording.Write(_folder, "still.csv", 60, walking: false);
        File.WriteAllText(_folder.File("manifest.csv"), "file,expected_steps,reference_kind\nwalk.csv,108,walking\nstill.csv,0,still\n");

        var outcome = SensingProcess.Run(_folder, "eval", "steps", "manifest.csv", "--phases", "4", "--units", "g");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("counted over 4 phases", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("over 4 clock phases", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1.0/1 (1)", outcome.StandardOutput, StringComparison.Ordinal); // the still recording at 0 in every phase
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public void Phases_outside_one_to_a_hundred_are_a_usage_error_naming_the_option(string phases)
    {
        SyntheticRecording.Write(_folder, "still.csv", 10, walking: false);
        File.WriteAllText(_folder.File("manifest.csv"), "file,expected_steps\nstill.csv,0\n");

        var outcome = SensingProcess.Run(_folder, "eval", "steps", "manifest.csv", "--phases", phases);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--phases", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
    }

    // A minute's walk through the whole pipeline, its clock moved on by clockShiftMicros.
    private ReplayResult ReplayWalk(long clockShiftMicros)
    {
        var path = SyntheticRecording.Write(_folder, "walk.csv", 60, walking: true);
        return RecordingReplay.Run(path, "walk.csv", new RecordingOptions { Units = AccelerationUnit.G }, new WristbandPipelineOptions(),
            collectStepTimes: true, clockShiftMicros: clockShiftMicros);
    }
}

using Sensing.Cli.Evaluation;
using Sensing.Cli.Replay;
using Sensing.Pipeline;
using Sensing.Recordings;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary>Step timing against a foot-mounted reference (../shared/data/phone-steps-oxford), through the whole pipeline.</summary>
public sealed class OxfordStepTimingTests
{
    private const string Folder = "phone-steps-oxford";

    [Fact]
    public void A_heel_strike_is_a_foot_switch_going_down_not_a_row()
    {
        string[] log = ["100,1,0", "190,1,0", "280,0,0", "370,0,1", "460,0,1", "550,0,0", "640,1,0", "730,1,1", "820,0,1"];
        Assert.Equal([370L, 640L, 730L], StepTruth.HeelStrikes(log));
    }

    [SharedDataFact(Folder)]
    public void Steps_are_found_within_250_ms_of_the_heel_strikes()
    {
        var truths = StepTruth.FromFolder(SharedData.Folder(Folder)!);
        Assert.NotEmpty(truths);
        int tp = 0, fp = 0, fn = 0;
        foreach (var truth in truths)
        {
            var options = new RecordingOptions { Columns = ["time", "-", "x", "y", "z"] };
            var result = RecordingReplay.Run(truth.Path, truth.Display, options, new WristbandPipelineOptions(), collectStepTimes: true);
            var m = StepMatching.Match(truth.StepMicros!, result.StepTimes!, 250_000);
            tp += m.TruePositives;
            fp += m.FalsePositives;
            fn += m.FalseNegatives;

            // Every trace is a walk of a few minutes: its count within 10 % of the reference.
            Assert.InRange(result.Steps, truth.ExpectedSteps * 0.9, truth.ExpectedSteps * 1.1);
        }

        Assert.True(StepMatching.F1(tp, fp, fn) >= 0.95, $"pooled F1 {StepMatching.F1(tp, fp, fn):0.000} (tp {tp}, fp {fp}, fn {fn})");
    }
}

using System.CommandLine;
using Sensing.Cli.Evaluation;
using Sensing.Cli.Replay;
using Sensing.Recordings;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing eval steps MANIFEST.csv|FOLDER</c>: replays recordings with known steps and prints, per file,
/// expected / counted / error, then the summary figures per group. Exit code 0 even when targets are missed.
/// </summary>
internal static class EvalStepsCommand
{
    private const long ToleranceMicros = 250_000;

    public static Command Create()
    {
        var target = new Argument<string>("manifest") { Description = "A manifest CSV (file,expected_steps[,reference_kind]) or a folder of recordings carrying their truth." };
        var recording = new RecordingOptionsBinding();
        var counterOnly = PipelineChoice.CounterOnlyOption();
        var command = new Command("steps", "Score the step counting on recordings with ground truth.");
        command.Arguments.Add(target);
        command.Options.Add(counterOnly);
        recording.AddTo(command);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(target)!, recording.Bind(result),
            PipelineChoice.Options(result.GetValue(counterOnly)))));
        return command;
    }

    private static int Execute(string target, RecordingOptions options, Sensing.Pipeline.WristbandPipelineOptions pipeline)
    {
        var truths = Directory.Exists(target) ? StepTruth.FromFolder(target)
            : File.Exists(target) ? StepTruth.FromManifest(target)
            : throw new UsageException($"{target}: no such manifest or folder.");
        if (truths.Count == 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(target)}: no recordings with ground truth found.[/]");
            return 0;
        }

        var table = new Table().AddColumns("recording", "group", "expected", "counted", "error", "steps/h", "F1 ±250 ms");
        var rows = new List<(StepTruth Truth, ReplayResult Result, double? F1)>();
        foreach (var truth in truths)
        {
            var result = RecordingReplay.Run(truth.Path, truth.Display, options, pipeline, collectStepTimes: truth.StepMicros is not null);
            double? f1 = null;
            if (truth.StepMicros is { } steps)
            {
                var (tp, fp, fn) = StepMatching.Match(steps, result.StepTimes!, ToleranceMicros);
                f1 = StepMatching.F1(tp, fp, fn);
            }

            rows.Add((truth, result, f1));
            table.AddRow(Markup.Escape(truth.Display), Markup.Escape(truth.Group), truth.ExpectedSteps.ToString("N0"), result.Steps.ToString("N0"),
                truth.ExpectedSteps > 0 ? $"{Error(truth, result):+0.0;-0.0;0.0} %" : "-",
                PerHour(result).ToString("0.0"), f1 is { } f ? f.ToString("0.000") : "-");
        }

        AnsiConsole.Write(table);
        var summary = new Table().AddColumns("group", "files", "MAPE", "within ±3 %", "within ±5 %", "within ±10 %", "max steps/h (0-step files)", "F1 pooled");
        foreach (var group in rows.GroupBy(r => r.Truth.Group).Append(rows.GroupBy(_ => "all").Single()))
        {
            var counted = group.Where(r => r.Truth.ExpectedSteps > 0).ToList();
            var zero = group.Where(r => r.Truth.ExpectedSteps == 0).ToList();
            var mape = counted.Count > 0 ? counted.Average(r => Math.Abs(Error(r.Truth, r.Result))) : double.NaN;
            var f1s = group.Where(r => r.F1 is not null).ToList();
            summary.AddRow(
                Markup.Escape(group.Key), group.Count().ToString(),
                counted.Count > 0 ? $"{mape:0.0} %" : "-",
                Within(counted, 3), Within(counted, 5), Within(counted, 10),
                zero.Count > 0 ? $"{zero.Max(r => PerHour(r.Result)):0.0} ({zero.Count(r => r.Result.Steps == 0)}/{zero.Count} at 0)" : "-",
                f1s.Count > 0 ? PooledF1(f1s) : "-");
        }

        AnsiConsole.Write(summary);
        return 0;
    }

    private static double Error(StepTruth truth, ReplayResult result) => (result.Steps - truth.ExpectedSteps) * 100.0 / truth.ExpectedSteps;

    private static double PerHour(ReplayResult result) => result.DurationSeconds > 0 ? result.Steps / (result.DurationSeconds / 3600) : 0;

    private static string Within(List<(StepTruth Truth, ReplayResult Result, double? F1)> rows, double percent)
        => rows.Count == 0 ? "-" : $"{rows.Count(r => Math.Abs(Error(r.Truth, r.Result)) <= percent)}/{rows.Count}";

    private static string PooledF1(List<(StepTruth Truth, ReplayResult Result, double? F1)> rows)
    {
        int tp = 0, fp = 0, fn = 0;
        foreach (var (truth, result, _) in rows)
        {
            var m = StepMatching.Match(truth.StepMicros!, result.StepTimes!, ToleranceMicros);
            tp += m.TruePositives;
            fp += m.FalsePositives;
            fn += m.FalseNegatives;
        }

        return $"{StepMatching.F1(tp, fp, fn):0.000} (P {tp / (double)Math.Max(1, tp + fp):0.00}, R {tp / (double)Math.Max(1, tp + fn):0.00})";
    }
}

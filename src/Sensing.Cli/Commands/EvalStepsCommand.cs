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
/// <remarks>
/// With <c>--phases N</c> each recording is also replayed with its clock moved on by k/N of a second (k = 1..N-1).
/// The counter judges whole seconds of the clock, so this moves where the seconds fall in the signal, as the start of
/// any new recording does; a figure that holds only at one phase would not hold on a recording not yet seen.
/// </remarks>
internal static class EvalStepsCommand
{
    private const long ToleranceMicros = 250_000;
    private const long Second = 1_000_000;

    public static Command Create()
    {
        var target = new Argument<string>("manifest") { Description = "A manifest CSV (file,expected_steps[,reference_kind]) or a folder of recordings carrying their truth." };
        var phases = new Option<int>("--phases")
        {
            Description = "Also replay each recording with its clock moved on by k/N s (k = 1..N-1) and report the spread of the figures over the N phases.",
            DefaultValueFactory = _ => 1,
        };
        var recording = new RecordingOptionsBinding();
        var counterOnly = PipelineChoice.CounterOnlyOption();
        var command = new Command("steps", "Score the step counting on recordings with ground truth.");
        command.Arguments.Add(target);
        command.Options.Add(counterOnly);
        command.Options.Add(phases);
        recording.AddTo(command);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(target)!, recording.Bind(result),
            PipelineChoice.Options(result.GetValue(counterOnly)), result.GetValue(phases))));
        return command;
    }

    private static int Execute(string target, RecordingOptions options, Sensing.Pipeline.WristbandPipelineOptions pipeline, int phases)
    {
        if (phases is < 1 or > 100)
        {
            throw new UsageException($"--phases {phases}: give a whole number of phases from 1 to 100.");
        }

        var truths = Directory.Exists(target) ? StepTruth.FromFolder(target)
            : File.Exists(target) ? StepTruth.FromManifest(target)
            : throw new UsageException($"{target}: no such manifest or folder.");
        if (truths.Count == 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(target)}: no recordings with ground truth found.[/]");
            return 0;
        }

        var table = new Table().AddColumns("recording", "group", "expected", "counted", "error", "steps/h", "F1 ±250 ms");
        if (phases > 1)
        {
            table.AddColumn($"counted over {phases} phases");
        }

        // Per recording, one replay per phase; the first is the recording as it is.
        var runs = new List<Scored[]>();
        foreach (var truth in truths)
        {
            var scored = Enumerable.Range(0, phases).Select(k => Score(truth, RecordingReplay.Run(truth.Path, truth.Display, options, pipeline,
                collectStepTimes: truth.StepMicros is not null, clockShiftMicros: k * Second / phases))).ToArray();
            runs.Add(scored);
            var (result, f1) = (scored[0].Result, scored[0].F1);
            var row = new List<string>
            {
                Markup.Escape(truth.Display), Markup.Escape(truth.Group), truth.ExpectedSteps.ToString("N0"), result.Steps.ToString("N0"),
                truth.ExpectedSteps > 0 ? $"{scored[0].Error:+0.0;-0.0;0.0} %" : "-",
                PerHour(result).ToString("0.0"), f1 is { } f ? f.ToString("0.000") : "-",
            };
            if (phases > 1)
            {
                row.Add($"{scored.Min(s => s.Result.Steps):N0}-{scored.Max(s => s.Result.Steps):N0}");
            }

            table.AddRow([.. row]);
        }

        AnsiConsole.Write(table);
        var groups = runs.GroupBy(r => r[0].Truth.Group).Append(runs.GroupBy(_ => "all").Single()).ToList();
        var summary = new Table().AddColumns("group", "files", "MAPE", "within ±3 %", "within ±5 %", "within ±10 %", "max steps/h (0-step files)", "F1 pooled");
        foreach (var group in groups)
        {
            var figures = GroupFigures.Of(group.Select(r => r[0]).ToList());
            summary.AddRow(
                Markup.Escape(group.Key), group.Count().ToString(),
                figures.Counted > 0 ? $"{figures.Mape:0.0} %" : "-",
                figures.Within(3), figures.Within(5), figures.Within(10),
                figures.Zero > 0 ? $"{figures.ZeroMaxPerHour:0.0} ({figures.ZeroAtZero}/{figures.Zero} at 0)" : "-",
                figures.Matches is { } m ? $"{m.F1:0.000} (P {m.Precision:0.00}, R {m.Recall:0.00})" : "-");
        }

        AnsiConsole.Write(summary);
        if (phases > 1)
        {
            AnsiConsole.Write(Spread(groups, phases));
        }

        return 0;
    }

    // Each figure of the summary over the phases: its mean and its worst.
    private static Table Spread(List<IGrouping<string, Scored[]>> groups, int phases)
    {
        var table = new Table { Caption = new TableTitle($"over {phases} clock phases (each recording's clock moved on by k/{phases} s): mean, and worst in brackets") }
            .AddColumns("group", "MAPE", "within ±5 %", "within ±10 %", "max steps/h (0-step files)", "0-step files at 0", "F1 pooled");
        foreach (var group in groups)
        {
            var byPhase = Enumerable.Range(0, phases).Select(k => GroupFigures.Of(group.Select(r => r[k]).ToList())).ToList();
            var first = byPhase[0];
            string Counts(Func<GroupFigures, int> figure, int files) => $"{byPhase.Average(figure):0.0}/{files} ({byPhase.Min(figure)})";
            table.AddRow(
                Markup.Escape(group.Key),
                first.Counted > 0 ? $"{byPhase.Average(f => f.Mape):0.0} % ({byPhase.Max(f => f.Mape):0.0} %)" : "-",
                first.Counted > 0 ? Counts(f => f.CountWithin(5), first.Counted) : "-",
                first.Counted > 0 ? Counts(f => f.CountWithin(10), first.Counted) : "-",
                first.Zero > 0 ? $"{byPhase.Average(f => f.ZeroMaxPerHour):0.0} ({byPhase.Max(f => f.ZeroMaxPerHour):0.0})" : "-",
                first.Zero > 0 ? Counts(f => f.ZeroAtZero, first.Zero) : "-",
                first.Matches is not null ? $"{byPhase.Average(f => f.Matches!.F1):0.000} ({byPhase.Min(f => f.Matches!.F1):0.000})" : "-");
        }

        return table;
    }

    private static Scored Score(StepTruth truth, ReplayResult result)
    {
        Matches? matches = truth.StepMicros is { } steps ? Matches.Of(StepMatching.Match(steps, result.StepTimes!, ToleranceMicros)) : null;
        var error = truth.ExpectedSteps > 0 ? (result.Steps - truth.ExpectedSteps) * 100.0 / truth.ExpectedSteps : double.NaN;
        return new Scored(truth, result, error, matches);
    }

    private static double PerHour(ReplayResult result) => result.DurationSeconds > 0 ? result.Steps / (result.DurationSeconds / 3600) : 0;

    /// <summary>One replay of one recording, scored against its truth.</summary>
    private sealed record Scored(StepTruth Truth, ReplayResult Result, double Error, Matches? Matches)
    {
        public double? F1 => Matches?.F1;
    }

    /// <summary>Detected steps matched to true ones.</summary>
    private sealed record Matches(int TruePositives, int FalsePositives, int FalseNegatives)
    {
        public static Matches Of((int Tp, int Fp, int Fn) m) => new(m.Tp, m.Fp, m.Fn);

        public static Matches Sum(IEnumerable<Matches> all)
            => all.Aggregate(new Matches(0, 0, 0), (a, b) => new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives));

        public double F1 => StepMatching.F1(TruePositives, FalsePositives, FalseNegatives);

        public double Precision => TruePositives / (double)Math.Max(1, TruePositives + FalsePositives);

        public double Recall => TruePositives / (double)Math.Max(1, TruePositives + FalseNegatives);
    }

    /// <summary>The summary figures of a group of scored replays.</summary>
    private sealed record GroupFigures(List<double> Errors, int Zero, int ZeroAtZero, double ZeroMaxPerHour, Matches? Matches)
    {
        public static GroupFigures Of(List<Scored> group)
        {
            var counted = group.Where(s => s.Truth.ExpectedSteps > 0).Select(s => s.Error).ToList();
            var zero = group.Where(s => s.Truth.ExpectedSteps == 0).ToList();
            var matched = group.Where(s => s.Matches is not null).ToList();
            return new GroupFigures(counted, zero.Count, zero.Count(s => s.Result.Steps == 0),
                zero.Count > 0 ? zero.Max(s => PerHour(s.Result)) : 0,
                matched.Count > 0 ? Matches.Sum(matched.Select(s => s.Matches!)) : null);
        }

        public int Counted => Errors.Count;

        public double Mape => Errors.Count > 0 ? Errors.Average(Math.Abs) : double.NaN;

        public int CountWithin(double percent) => Errors.Count(e => Math.Abs(e) <= percent);

        public string Within(double percent) => Counted == 0 ? "-" : $"{CountWithin(percent)}/{Counted}";
    }
}

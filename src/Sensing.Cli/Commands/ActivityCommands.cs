using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sensing.Activity.Model;
using Sensing.Activity.Training;
using Sensing.Recordings;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing train activity FOLDER --out MODEL [--seed N]</c> and <c>sensing eval activity FOLDER [--folds K]</c>:
/// training the activity classifier from labelled recordings (<c>&lt;activity&gt;/&lt;participant&gt;.csv[.gz]</c>),
/// and participant-disjoint cross-validation of the same training.
/// </summary>
internal static class ActivityCommands
{
    private const int BadInput = 2;

    /// <summary>The <c>train</c> command with its <c>activity</c> sub-command.</summary>
    public static Command CreateTrain()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of <activity>/<participant>.csv[.gz] recordings (selfBACK layout)." };
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var seed = SeedOption();
        var trees = TreesOption();
        var activity = new Command("activity", "Train the activity classifier (random forest + HMM) and write the model file.");
        activity.Arguments.Add(folder);
        activity.Options.Add(output);
        activity.Options.Add(seed);
        activity.Options.Add(trees);
        activity.SetAction(result => Guard(() => Train(result.GetValue(folder)!, result.GetValue(output)!, Options(result.GetValue(seed), result.GetValue(trees)))));
        var train = new Command("train", "Train a model from labelled recordings.");
        train.Subcommands.Add(activity);
        return train;
    }

    /// <summary>The <c>eval</c> command with its <c>activity</c> sub-command.</summary>
    public static Command CreateEval()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of <activity>/<participant>.csv[.gz] recordings (selfBACK layout)." };
        var folds = new Option<int>("--folds") { Description = "Number of folds; participants are never split between training and test.", DefaultValueFactory = _ => 5 };
        var seed = SeedOption();
        var trees = TreesOption();
        var table = new Option<string?>("--features-csv") { Description = "Also write every window's features to this CSV file (participant, label, window, features)." };
        var activity = new Command("activity", "Cross-validate the activity classifier with participants kept apart; per fold and pooled.");
        activity.Arguments.Add(folder);
        activity.Options.Add(folds);
        activity.Options.Add(seed);
        activity.Options.Add(trees);
        activity.Options.Add(table);
        activity.SetAction(result => Guard(() =>
        {
            if (result.GetValue(table) is { } path)
            {
                using var writer = new StreamWriter(path);
                FeatureTable.Write(LabelledRecordingSet.Scan(result.GetValue(folder)!), writer);
            }

            return Evaluate(result.GetValue(folder)!, result.GetValue(folds), Options(result.GetValue(seed), result.GetValue(trees)), Console.Out);
        }));
        var eval = new Command("eval", "Evaluate a model-training recipe on labelled recordings.");
        eval.Subcommands.Add(activity);
        return eval;
    }

    private static Option<int> SeedOption() => new("--seed") { Description = "Seed of every random choice (same seed, same data: same model).", DefaultValueFactory = _ => 1 };

    private static Option<int> TreesOption() => new("--trees") { Description = "Trees in the forest.", DefaultValueFactory = _ => new ForestTrainingOptions().Trees };

    private static ForestTrainingOptions Options(int seed, int trees)
    {
        if (trees < 1 || trees > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(trees), trees, "--trees must be from 1 to 1000");
        }

        return new ForestTrainingOptions { Seed = seed, Trees = trees };
    }

    private static int Train(string folder, string output, ForestTrainingOptions options)
    {
        var watch = Stopwatch.StartNew();
        var recordings = LabelledRecordingSet.Scan(folder);
        var participants = recordings.Select(r => r.Participant).Distinct(StringComparer.Ordinal).Count();
        var description = string.Create(CultureInfo.InvariantCulture,
            $"sensing train activity {Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))} --seed {options.Seed} --trees {options.Trees}; {recordings.Count} recordings of {participants} participants");
        var model = ActivityTrainer.Train(recordings, options, description);
        model.Save(output);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {new FileInfo(output).Length} bytes, {model.TreeCount} trees, from {recordings.Count} recordings of {participants} participants in {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>Runs the cross-validation and prints per-fold and pooled figures for the 9, 5 and 4-class groupings.</summary>
    internal static int Evaluate(string folder, int folds, ForestTrainingOptions options, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        var watch = Stopwatch.StartNew();
        var recordings = LabelledRecordingSet.Scan(folder);
        var result = CrossValidation.Run(recordings, folds, options);
        var text = new StringBuilder();
        text.AppendLine(ci, $"participant-disjoint {folds}-fold cross-validation: {recordings.Count} recordings, {result.Predictions.Count} windows of 10 s, seed {options.Seed}, {options.Trees} trees ({watch.Elapsed.TotalSeconds:F0} s)");
        for (var f = 0; f < result.Folds.Count; f++)
        {
            text.AppendLine(ci, $"  fold {f + 1}: {string.Join(' ', result.Folds[f])}");
        }

        foreach (var grouping in LabelGrouping.All)
        {
            text.AppendLine().AppendLine(ci, $"== {grouping.Name}: {string.Join(", ", grouping.Groups)}");
            foreach (var smoothed in new[] { false, true })
            {
                var perFold = Enumerable.Range(0, result.Folds.Count).Select(f => result.Report(grouping, f, smoothed).MacroF1).ToArray();
                var mean = perFold.Average();
                var sd = Math.Sqrt(perFold.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, perFold.Length - 1));
                text.AppendLine(ci, $"  {(smoothed ? "forest+HMM" : "forest    ")} macro-F1 pooled {result.Report(grouping, null, smoothed).MacroF1:F3}; per fold {string.Join(' ', perFold.Select(v => v.ToString("F3", ci)))}; mean {mean:F3} sd {sd:F3} min {perFold.Min():F3} max {perFold.Max():F3}");
            }

            for (var f = 0; f < result.Folds.Count; f++)
            {
                var report = result.Report(grouping, f);
                text.AppendLine(ci, $"  fold {f + 1} F1 per class: {string.Join(' ', grouping.Groups.Select((g, i) => $"{g}={report.F1(i):F2}"))}");
            }

            text.AppendLine("  pooled, forest+HMM:").Append(result.Report(grouping, null).Format());
        }

        output.Write(text.ToString());
        return 0;
    }

    /// <summary>Expected failures (bad folder, unreadable recording, bad option) become one line on stderr and exit code 2.</summary>
    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is RecordingFormatException or ModelFormatException or InvalidDataException or DirectoryNotFoundException or ArgumentOutOfRangeException)
        {
            Console.Error.WriteLine($"sensing: {ex.Message}");
            return BadInput;
        }
    }
}

using Sensing.Activity.Features;
using Sensing.Activity.Model;
using Sensing.Activity.Training;
using Sensing.Testing;

namespace Sensing.Activity.Tests.Training;

public class TrainingTests
{
    [Fact]
    public void Report_counts_precision_recall_and_macro_f1()
    {
        // Truth sitting(6) x4, lying(8) x4; one lying called sitting.
        var pairs = new[] { (6, 6), (6, 6), (6, 6), (6, 6), (8, 8), (8, 8), (8, 8), (8, 6) };
        var report = new ClassificationReport(LabelGrouping.FiveClasses, pairs);
        Assert.Equal(0.8, report.Precision(1), 6);
        Assert.Equal(1.0, report.Recall(1), 6);
        Assert.Equal(0.75, report.Recall(0), 6);
        Assert.Equal(((2 * 0.8 / 1.8) + (2 * 0.75 / 1.75)) / 2, report.MacroF1, 6);
        var four = new ClassificationReport(LabelGrouping.FourClasses, pairs);
        Assert.Equal(1.0, four.MacroF1, 6);
        Assert.Contains("macro-F1", report.Format());
    }

    [Fact]
    public void Cross_validation_keeps_participants_apart_and_learns_separable_synthetic_data()
    {
        var random = new Random(3);
        var recordings = new List<RecordingFeatures>();
        for (var p = 0; p < 6; p++)
        {
            for (var label = 0; label < ActivityLabels.Count; label++)
            {
                var rows = Enumerable.Range(0, 8).Select(_ =>
                {
                    var row = Enumerable.Range(0, WindowFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();
                    row[label] += 2f; // each label lifts its own feature: separable, as a sanity check of the eval logic
                    return row;
                }).ToArray();
                recordings.Add(new RecordingFeatures(new LabelledRecording($"{p}/{label}", label, $"p{p}"), Enumerable.Range(label * 100, 8).Select(i => (long)i).ToArray(), rows));
            }
        }

        var result = CrossValidation.Run(recordings, 3, new ForestTrainingOptions { Trees = 15 });
        Assert.Equal(3, result.Folds.Count);
        Assert.Equal(6, result.Folds.SelectMany(f => f).Distinct().Count());
        foreach (var (fold, participant, _, _, _) in result.Predictions)
        {
            Assert.Contains(participant, result.Folds[fold]);
        }

        Assert.Equal(6 * 9 * 8, result.Predictions.Count);
        Assert.True(result.Report(LabelGrouping.NineLabels, null).MacroF1 > 0.95);
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, WindowFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 300).Select(i => i % ActivityLabels.Count).ToArray();
        var a = ForestTrainer.Train(rows, labels, ActivityLabels.Count, new ForestTrainingOptions { Trees = 8, Seed = 5 });
        var b = ForestTrainer.Train(rows, labels, ActivityLabels.Count, new ForestTrainingOptions { Trees = 8, Seed = 5 });
        var c = ForestTrainer.Train(rows, labels, ActivityLabels.Count, new ForestTrainingOptions { Trees = 8, Seed = 6 });
        Assert.Equal(a.Threshold, b.Threshold);
        Assert.Equal(a.Feature, b.Feature);
        Assert.NotEqual(a.Threshold, c.Threshold);
    }

    [SharedDataFact("wrist-activity-selfback")]
    public void A_model_trained_on_a_few_participants_beats_chance_on_others_by_far()
    {
        var all = LabelledRecordingSet.Scan(SharedData.Folder("wrist-activity-selfback")!);
        var participants = all.Select(r => r.Participant).Distinct().Order().ToArray();
        var train = all.Where(r => participants.Take(6).Contains(r.Participant)).ToList();
        var test = all.Where(r => participants.Skip(6).Take(3).Contains(r.Participant)).ToList();
        var model = ActivityTrainer.Train(train, new ForestTrainingOptions { Trees = 20 }, "test");
        var probabilities = new float[ActivityLabels.Count];
        var pairs = new List<(int, int)>();
        foreach (var r in FeatureCollector.CollectAll(test))
        {
            foreach (var row in r.Rows)
            {
                model.Forest.Predict(row, probabilities);
                pairs.Add((r.Recording.Label, Array.IndexOf(probabilities, probabilities.Max())));
            }
        }

        // Chance is 0.25 on 4 classes; a working pipeline is near 0.9 even on 6 training participants.
        Assert.True(new ClassificationReport(LabelGrouping.FourClasses, pairs).MacroF1 > 0.75);
    }

    [Fact]
    public void A_folder_without_activity_folders_is_refused_with_the_expected_layout()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "dancing"));
        var ex = Assert.Throws<InvalidDataException>(() => LabelledRecordingSet.Scan(folder.Path));
        Assert.Contains("walk_slow", ex.Message);
    }

    [SharedDataFact("wrist-activity-selfback")]
    public void The_feature_table_has_one_row_per_window_and_a_column_per_feature()
    {
        var recordings = LabelledRecordingSet.Scan(SharedData.Folder("wrist-activity-selfback")!).Where(r => r.Participant == "007").Take(2).ToList();
        var writer = new StringWriter();
        FeatureTable.Write(recordings, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimEnd('\r').Split(',');
        Assert.Equal(["participant", "label", "window"], header[..3]);
        Assert.Equal(WindowFeatures.Names, header[3..]);
        var windows = FeatureCollector.CollectAll(recordings).Sum(r => r.Rows.Length);
        Assert.Equal(windows, lines.Length - 1);
        Assert.All(lines.Skip(1), line => Assert.Equal(header.Length, line.Split(',').Length));
        Assert.StartsWith("007," + ActivityLabels.Names[recordings[0].Label] + ",", lines[1]);
    }
}

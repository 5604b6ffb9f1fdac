using Sensing.Activity.Model;

namespace Sensing.Activity.Training;

/// <summary>
/// Participant-disjoint K-fold cross-validation: participants (never files) are dealt into folds after a seeded
/// shuffle; each fold's model is trained on the other folds exactly as <c>sensing train activity</c> trains, and
/// each held-out recording is decoded on its own, as a separate stream would be.
/// </summary>
public static class CrossValidation
{
    public static CrossValidationResult Run(IReadOnlyList<LabelledRecording> recordings, int folds, ForestTrainingOptions options, IProgress<string>? progress = null)
    {
        progress?.Report($"reading {recordings.Count} recordings");
        return Run(FeatureCollector.CollectAll(recordings), folds, options, progress);
    }

    internal static CrossValidationResult Run(IReadOnlyList<RecordingFeatures> recordings, int folds, ForestTrainingOptions options, IProgress<string>? progress = null)
    {
        var participants = recordings.Select(r => r.Recording.Participant).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (folds < 2 || folds > participants.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"folds must be from 2 to the number of participants ({participants.Length})");
        }

        new Random(options.Seed).Shuffle(participants);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < participants.Length; i++)
        {
            foldOf[participants[i]] = i % folds;
        }

        var foldLists = Enumerable.Range(0, folds)
            .Select(f => (IReadOnlyList<string>)participants.Where(p => foldOf[p] == f).Order(StringComparer.Ordinal).ToArray()).ToArray();
        var predictions = new List<(int, string, int, int, int)>();
        var probabilities = new float[ActivityLabels.Count];
        for (var f = 0; f < folds; f++)
        {
            var train = recordings.Where(r => foldOf[r.Recording.Participant] != f).ToArray();
            var test = recordings.Where(r => foldOf[r.Recording.Participant] == f).ToArray();
            var model = ActivityTrainer.Train(train, options, $"cross-validation fold {f + 1}");
            foreach (var r in test)
            {
                var all = new float[r.Rows.Length * ActivityLabels.Count];
                var forestLabels = new int[r.Rows.Length];
                for (var w = 0; w < r.Rows.Length; w++)
                {
                    model.Forest.Predict(r.Rows[w], probabilities);
                    probabilities.CopyTo(all, w * ActivityLabels.Count);
                    forestLabels[w] = Array.IndexOf(probabilities, probabilities.Max());
                }

                var smoothed = model.Smoother.Decode(all);
                for (var w = 0; w < r.Rows.Length; w++)
                {
                    predictions.Add((f, r.Recording.Participant, r.Recording.Label, forestLabels[w], smoothed[w]));
                }
            }

            progress?.Report($"fold {f + 1}/{folds}: {test.Length} recordings of {foldLists[f].Count} participants held out");
        }

        return new CrossValidationResult(foldLists, predictions);
    }
}

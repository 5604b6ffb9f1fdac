using Sensing.Activity.Model;
using Sensing.Activity.Smoothing;

namespace Sensing.Activity.Training;

/// <summary>Trains an <see cref="ActivityModel"/> from labelled recordings: the forest from every window, the HMM from each participant's session.</summary>
public static class ActivityTrainer
{
    /// <summary>Reads the recordings and trains a model. Deterministic for a fixed <see cref="ForestTrainingOptions.Seed"/>.</summary>
    public static ActivityModel Train(IReadOnlyList<LabelledRecording> recordings, ForestTrainingOptions options, string description)
        => Train(FeatureCollector.CollectAll(recordings), options, description);

    internal static ActivityModel Train(IReadOnlyList<RecordingFeatures> recordings, ForestTrainingOptions options, string description)
    {
        var rows = new List<float[]>();
        var labels = new List<int>();
        foreach (var r in recordings)
        {
            rows.AddRange(r.Rows);
            labels.AddRange(Enumerable.Repeat(r.Recording.Label, r.Rows.Length));
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException("the training recordings hold no complete 10 s window");
        }

        var forest = ForestTrainer.Train([.. rows], [.. labels], ActivityLabels.Count, options);
        return new ActivityModel(forest, LearnTransitions(recordings), description);
    }

    /// <summary>
    /// Transition counts from each participant's recordings in the order they were made: a file contributes its
    /// run of same-label windows, and the step from one file to the next contributes a change of activity.
    /// </summary>
    internal static HiddenMarkovModel LearnTransitions(IReadOnlyList<RecordingFeatures> recordings)
    {
        var sequences = recordings
            .GroupBy(r => r.Recording.Participant, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(r => r.FirstWindow).ThenBy(r => r.Recording.Label)
                .SelectMany(r => Enumerable.Repeat(r.Recording.Label, r.Rows.Length)).ToArray());
        return HiddenMarkovModel.Learn(sequences, ActivityLabels.Count);
    }
}

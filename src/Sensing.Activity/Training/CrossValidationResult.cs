namespace Sensing.Activity.Training;

/// <summary>Window-level predictions of a participant-disjoint cross-validation.</summary>
/// <param name="Folds">Participants held out in each fold.</param>
/// <param name="Predictions">One entry per test window: fold, participant, true label, forest-only label, smoothed label.</param>
public sealed record CrossValidationResult(
    IReadOnlyList<IReadOnlyList<string>> Folds,
    IReadOnlyList<(int Fold, string Participant, int Truth, int Forest, int Smoothed)> Predictions)
{
    /// <summary>The report of the smoothed (or forest-only) predictions of one fold, or of all folds pooled when <paramref name="fold"/> is null.</summary>
    public ClassificationReport Report(LabelGrouping grouping, int? fold, bool smoothed = true)
        => new(grouping, Predictions.Where(p => fold is null || p.Fold == fold).Select(p => (p.Truth, smoothed ? p.Smoothed : p.Forest)));
}

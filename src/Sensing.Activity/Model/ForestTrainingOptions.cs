namespace Sensing.Activity.Model;

/// <summary>Settings of random-forest training. Defaults are the ones the shipped model was trained with.</summary>
public sealed record ForestTrainingOptions
{
    /// <summary>Number of trees.</summary>
    /// <remarks>24: cross-validated macro-F1 is the same within fold noise from 20 to 60 trees, and the forest is
    /// most of the per-window cost (each tree is a chain of dependent memory loads).</remarks>
    public int Trees { get; init; } = 24;

    /// <summary>Deepest split level.</summary>
    public int MaxDepth { get; init; } = 14;

    /// <summary>A node with fewer (weighted-equivalent) samples than this is not split.</summary>
    public int MinSamplesSplit { get; init; } = 6;

    /// <summary>Candidate features per split; 0 means the square root of the feature count.</summary>
    public int FeaturesPerSplit { get; init; }

    /// <summary>Quantile bins per feature for split search (at most 256).</summary>
    public int Bins { get; init; } = 64;

    /// <summary>Seed of every random choice: the same seed and data give the same forest, bit for bit.</summary>
    public int Seed { get; init; } = 1;
}

using System.Runtime.CompilerServices;

namespace Sensing.Activity.Model;

/// <summary>
/// A trained random forest of axis-aligned decision trees, flattened into arrays for fast, allocation-free
/// prediction. Leaves hold class distributions; the forest's output is their average.
/// </summary>
/// <remarks>
/// Node layout: trees are stored one after the other in pre-order, so an internal node's left child is the next
/// node and <see cref="RightChild"/> holds the right child's index. A leaf has <see cref="Feature"/> = -1 and its
/// <see cref="RightChild"/> is the index of its distribution in <see cref="LeafDistributions"/> (in units of classes).
/// Thread-safe for prediction (immutable).
/// </remarks>
internal sealed class DecisionForest
{
    public DecisionForest(int featureCount, int classCount, int[] roots, short[] feature, float[] threshold, int[] rightChild, float[] leafDistributions)
    {
        FeatureCount = featureCount;
        ClassCount = classCount;
        Roots = roots;
        Feature = feature;
        Threshold = threshold;
        RightChild = rightChild;
        LeafDistributions = leafDistributions;
    }

    public int FeatureCount { get; }

    public int ClassCount { get; }

    public int[] Roots { get; }

    public short[] Feature { get; }

    public float[] Threshold { get; }

    public int[] RightChild { get; }

    public float[] LeafDistributions { get; }

    public int TreeCount => Roots.Length;

    public int NodeCount => Feature.Length;

    /// <summary>Average of the trees' leaf distributions for one feature vector.</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        if (features.Length < FeatureCount || probabilities.Length < ClassCount)
        {
            throw new ArgumentException($"The forest needs {FeatureCount} features and room for {ClassCount} probabilities.");
        }

        probabilities[..ClassCount].Clear();
        var feature = Feature;
        var threshold = Threshold;
        var right = RightChild;
        foreach (var root in Roots)
        {
            var node = root;
            int f;
            while ((f = feature[node]) >= 0)
            {
                node = features[f] <= threshold[node] ? node + 1 : right[node];
            }

            AddLeaf(right[node], probabilities);
        }

        var scale = 1f / Roots.Length;
        for (var c = 0; c < ClassCount; c++)
        {
            probabilities[c] *= scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddLeaf(int at, Span<float> probabilities)
    {
        var leaf = LeafDistributions.AsSpan(at, ClassCount);
        for (var c = 0; c < leaf.Length; c++)
        {
            probabilities[c] += leaf[c];
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Model;

/// <summary>
/// A trained random forest of axis-aligned decision trees, flattened into arrays for fast, allocation-free
/// prediction. Leaves hold class distributions; the forest's output is their average.
/// </summary>
/// <remarks>
/// Node layout: trees are stored one after the other in pre-order, so an internal node's left child is the next
/// node and <see cref="RightChild"/> holds the right child's index. A leaf has <see cref="Feature"/> = -1 and its
/// <see cref="RightChild"/> is the index of its distribution in <see cref="LeafDistributions"/> (in units of classes).
/// <para>Prediction walks a packed copy of the nodes (<see cref="PackedNode"/>, 8 bytes: eight to a cache line),
/// because a tree walk is a chain of dependent loads and three parallel arrays cost three cache misses per node.</para>
/// Thread-safe for prediction (immutable).
/// </remarks>
internal sealed class DecisionForest
{
    /// <summary>Feature byte of a leaf in <see cref="PackedNode"/>; also why at most 255 features are allowed.</summary>
    private const int LeafFeature = 0xFF;

    private readonly PackedNode[] _packed;

    // The leaf distributions, followed by a vector of zeros so that any leaf's classes load as one Vector512.
    private readonly float[] _leaves;

    public DecisionForest(int featureCount, int classCount, int[] roots, short[] feature, float[] threshold, int[] rightChild, float[] leafDistributions)
    {
        if (featureCount >= LeafFeature)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"A forest takes at most {LeafFeature - 1} features.");
        }

        FeatureCount = featureCount;
        ClassCount = classCount;
        Roots = roots;
        Feature = feature;
        Threshold = threshold;
        RightChild = rightChild;
        _leaves = new float[leafDistributions.Length + Vector512<float>.Count];
        leafDistributions.CopyTo(_leaves, 0);
        _packed = new PackedNode[feature.Length];
        for (var i = 0; i < feature.Length; i++)
        {
            if ((uint)rightChild[i] >= 1u << 23)
            {
                throw new ArgumentOutOfRangeException(nameof(rightChild), rightChild[i], "A packed node holds child and leaf offsets below 2^23.");
            }

            _packed[i] = new PackedNode(threshold[i], (rightChild[i] << 8) | (feature[i] < 0 ? LeafFeature : feature[i]));
        }
    }

    public int FeatureCount { get; }

    public int ClassCount { get; }

    public int[] Roots { get; }

    public short[] Feature { get; }

    public float[] Threshold { get; }

    public int[] RightChild { get; }

    /// <summary>Every leaf's class distribution, one after the other (without the padding).</summary>
    public ReadOnlySpan<float> LeafDistributions => _leaves.AsSpan(0, _leaves.Length - Vector512<float>.Count);

    public int TreeCount => Roots.Length;

    public int NodeCount => Feature.Length;

    /// <summary>Average of the trees' leaf distributions for one feature vector, each exactly representable as a <see cref="Half"/>.</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> probabilities) => Predict(features, probabilities, allowVectors: true);

    /// <summary><see cref="Predict(ReadOnlySpan{float}, Span{float})"/>, with the leaves added one class at a time when <paramref name="allowVectors"/> is false (the tests' reference).</summary>
    internal void Predict(ReadOnlySpan<float> features, Span<float> probabilities, bool allowVectors)
    {
        if (features.Length < FeatureCount || probabilities.Length < ClassCount)
        {
            throw new ArgumentException($"The forest needs {FeatureCount} features and room for {ClassCount} probabilities.");
        }

        // The average is rounded to half precision (11 significant bits, far finer than a forest's votes) so that a
        // window waiting up to an hour for the non-wear verdict holds its probabilities in 2 bytes each without
        // changing them.
        var classes = probabilities[..ClassCount];
        var scale = 1f / Roots.Length;
        if (allowVectors && Vector512.IsHardwareAccelerated && ClassCount <= Vector512<float>.Count)
        {
            // Each tree's leaf added as one vector: lane c sums class c over the trees in the same order as the loop
            // below (the lanes past the classes sum whatever follows each leaf, and are dropped).
            ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
            var sum = Vector512<float>.Zero;
            foreach (var root in Roots)
            {
                sum += Vector512.LoadUnsafe(ref leaves, (nuint)Leaf(features, root));
            }

            var average = RoundToHalf(sum * scale);
            for (var c = 0; c < classes.Length; c++)
            {
                classes[c] = average.GetElement(c);
            }

            return;
        }

        classes.Clear();
        foreach (var root in Roots)
        {
            AddLeaf(Leaf(features, root), classes);
        }

        for (var c = 0; c < classes.Length; c++)
        {
            classes[c] = (float)(Half)(classes[c] * scale);
        }
    }

    /// <summary>
    /// <c>(float)(Half)x</c> in every lane, for x from 0 to 1: a Half normal (from 2^-14) keeps the float's top ten
    /// mantissa bits, rounded to nearest, ties to even, by integer addition; below it Half's step is 2^-24, and adding
    /// and taking away 0.5 (whose float step that is) rounds the same way.
    /// </summary>
    internal static Vector512<float> RoundToHalf(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var normal = (bits + Vector512.Create(0x0FFFu) + ((bits >> 13) & Vector512<uint>.One)) & Vector512.Create(0xFFFF_E000u);
        var subnormal = (x + Vector512.Create(0.5f)) - Vector512.Create(0.5f);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(1f / 16384)), normal.AsSingle(), subnormal);
    }

    // The offset of the leaf distribution that a tree's walk from the root reaches.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Leaf(ReadOnlySpan<float> features, int root)
    {
        var nodes = _packed.AsSpan();
        var node = nodes[root];
        var at = root;
        int f;
        while ((f = node.FeatureAndRight & 0xFF) != LeafFeature)
        {
            at = features[f] <= node.Threshold ? at + 1 : node.FeatureAndRight >> 8;
            node = nodes[at];
        }

        return node.FeatureAndRight >> 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddLeaf(int at, Span<float> probabilities)
    {
        var leaf = _leaves.AsSpan(at, ClassCount);
        for (var c = 0; c < leaf.Length; c++)
        {
            probabilities[c] += leaf[c];
        }
    }
}

/// <summary>One node for prediction: the threshold, and the right child (or leaf offset) shifted left by 8 over the feature byte.</summary>
internal readonly record struct PackedNode(float Threshold, int FeatureAndRight);

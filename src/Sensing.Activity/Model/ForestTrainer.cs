namespace Sensing.Activity.Model;

/// <summary>
/// Trains a <see cref="DecisionForest"/>: bootstrap samples, Gini splits searched over per-feature quantile bins,
/// a random subset of features per split, and class weights that make every class count equally (macro-F1 is the
/// goal, and stairs bouts are shorter than the rest). Deterministic for a seed: each tree draws from its own
/// generator seeded from (seed, tree), so running trees in parallel does not change the result.
/// </summary>
internal static class ForestTrainer
{
    public static DecisionForest Train(float[][] rows, int[] labels, int classCount, ForestTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0 || rows.Length != labels.Length)
        {
            throw new ArgumentException("Training needs at least one row and one label per row.");
        }

        var featureCount = rows[0].Length;
        var bins = Math.Clamp(options.Bins, 2, 256);
        var edges = new float[featureCount][];
        var binned = new byte[featureCount][];
        for (var f = 0; f < featureCount; f++)
        {
            (edges[f], binned[f]) = BinFeature(rows, f, bins);
        }

        var counts = new double[classCount];
        foreach (var l in labels)
        {
            counts[l]++;
        }

        var classWeight = new double[classCount];
        for (var c = 0; c < classCount; c++)
        {
            classWeight[c] = counts[c] > 0 ? rows.Length / (classCount * counts[c]) : 0;
        }

        var mtry = options.FeaturesPerSplit > 0 ? options.FeaturesPerSplit : Math.Max(1, (int)Math.Round(Math.Sqrt(featureCount)));
        var trees = new TreeBuilder[options.Trees];
        Parallel.For(0, options.Trees, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var builder = new TreeBuilder(binned, edges, labels, classWeight, classCount, options, mtry, unchecked((options.Seed * 1_000_003) + (t * 7919) + 17));
            builder.Build(rows.Length);
            trees[t] = builder;
        });

        var roots = new int[trees.Length];
        var feature = new List<short>();
        var threshold = new List<float>();
        var right = new List<int>();
        var leaves = new List<float>();
        for (var t = 0; t < trees.Length; t++)
        {
            roots[t] = feature.Count;
            trees[t].AppendTo(feature, threshold, right, leaves);
        }

        return new DecisionForest(featureCount, classCount, roots, [.. feature], [.. threshold], [.. right], [.. leaves]);
    }

    /// <summary>Quantile edges (distinct values) and each row's bin: bin b holds values in (edge[b-1], edge[b]].</summary>
    private static (float[] Edges, byte[] Bins) BinFeature(float[][] rows, int f, int bins)
    {
        var values = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = rows[i][f];
        }

        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var edges = new List<float>();
        for (var b = 1; b < bins; b++)
        {
            var v = sorted[Math.Min(sorted.Length - 1, (int)((long)b * sorted.Length / bins))];
            if ((edges.Count == 0 || v > edges[^1]) && v < sorted[^1])
            {
                edges.Add(v);
            }
        }

        var edgeArray = edges.ToArray();
        var binOf = new byte[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var at = Array.BinarySearch(edgeArray, values[i]);
            binOf[i] = (byte)(at >= 0 ? at : ~at);
        }

        return (edgeArray, binOf);
    }

    /// <summary>Grows one tree over a bootstrap sample.</summary>
    private sealed class TreeBuilder(byte[][] binned, float[][] edges, int[] labels, double[] classWeight, int classCount, ForestTrainingOptions options, int mtry, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly List<(short Feature, float Threshold, int Right, int Leaf)> _nodes = [];
        private readonly List<float[]> _leaves = [];
        private double[] _weight = [];
        private double[] _histogram = [];
        private int[] _featureOrder = [];

        public void Build(int rowCount)
        {
            _weight = new double[rowCount];
            var members = new List<int>(rowCount);
            for (var i = 0; i < rowCount; i++)
            {
                var r = _random.Next(rowCount);
                if (_weight[r] == 0)
                {
                    members.Add(r);
                }

                _weight[r] += classWeight[labels[r]];
            }

            members.Sort();
            _histogram = new double[256 * classCount];
            _featureOrder = Enumerable.Range(0, binned.Length).ToArray();
            Grow([.. members], 0);
        }

        public void AppendTo(List<short> feature, List<float> threshold, List<int> right, List<float> leaves)
        {
            var nodeOffset = feature.Count;
            foreach (var node in _nodes)
            {
                feature.Add(node.Feature);
                threshold.Add(node.Threshold);
                if (node.Feature < 0)
                {
                    right.Add(leaves.Count);
                    leaves.AddRange(_leaves[node.Leaf]);
                }
                else
                {
                    right.Add(nodeOffset + node.Right);
                }
            }
        }

        private int Grow(int[] members, int depth)
        {
            var distribution = new double[classCount];
            var total = 0.0;
            foreach (var m in members)
            {
                distribution[labels[m]] += _weight[m];
                total += _weight[m];
            }

            var index = _nodes.Count;
            var pure = distribution.Count(d => d > 0) <= 1;
            if (pure || depth >= options.MaxDepth || members.Length < options.MinSamplesSplit || !TryFindSplit(members, distribution, total, out var feature, out var bin))
            {
                _nodes.Add((-1, 0f, 0, _leaves.Count));
                _leaves.Add(distribution.Select(d => (float)(d / total)).ToArray());
                return index;
            }

            var column = binned[feature];
            var left = members.Where(m => column[m] <= bin).ToArray();
            var rightMembers = members.Where(m => column[m] > bin).ToArray();
            _nodes.Add(((short)feature, edges[feature][bin], 0, -1));
            Grow(left, depth + 1);
            var rightIndex = Grow(rightMembers, depth + 1);
            _nodes[index] = (_nodes[index].Feature, _nodes[index].Threshold, rightIndex, -1);
            return index;
        }

        private bool TryFindSplit(int[] members, double[] parent, double total, out int bestFeature, out int bestBin)
        {
            bestFeature = -1;
            bestBin = -1;
            var parentImpurity = Gini(parent, total);
            var bestGain = 1e-9;
            var leftCounts = new double[classCount];

            // Partial Fisher-Yates: the first mtry entries are this node's candidate features.
            for (var k = 0; k < mtry; k++)
            {
                var swap = k + _random.Next(_featureOrder.Length - k);
                (_featureOrder[k], _featureOrder[swap]) = (_featureOrder[swap], _featureOrder[k]);
            }

            for (var k = 0; k < mtry; k++)
            {
                var f = _featureOrder[k];
                var edgeCount = edges[f].Length;
                if (edgeCount == 0)
                {
                    continue;
                }

                var column = binned[f];
                Array.Clear(_histogram, 0, (edgeCount + 1) * classCount);
                foreach (var m in members)
                {
                    _histogram[(column[m] * classCount) + labels[m]] += _weight[m];
                }

                Array.Clear(leftCounts);
                var leftTotal = 0.0;
                for (var b = 0; b < edgeCount; b++)
                {
                    for (var c = 0; c < classCount; c++)
                    {
                        var w = _histogram[(b * classCount) + c];
                        leftCounts[c] += w;
                        leftTotal += w;
                    }

                    var rightTotal = total - leftTotal;
                    if (leftTotal <= 0 || rightTotal <= 1e-12)
                    {
                        continue;
                    }

                    var leftSq = 0.0;
                    var rightSq = 0.0;
                    for (var c = 0; c < classCount; c++)
                    {
                        leftSq += leftCounts[c] * leftCounts[c];
                        var r = parent[c] - leftCounts[c];
                        rightSq += r * r;
                    }

                    var impurity = ((leftTotal - (leftSq / leftTotal)) + (rightTotal - (rightSq / rightTotal))) / total;
                    var gain = parentImpurity - impurity;
                    if (gain > bestGain)
                    {
                        bestGain = gain;
                        bestFeature = f;
                        bestBin = b;
                    }
                }
            }

            return bestFeature >= 0;
        }

        private static double Gini(double[] counts, double total)
        {
            var sq = 0.0;
            foreach (var c in counts)
            {
                sq += c * c;
            }

            return 1 - (sq / (total * total));
        }
    }
}

namespace Sensing.Activity.Smoothing;

/// <summary>
/// A first-order hidden Markov model over activity labels: the classifier's per-window probabilities are the
/// emissions, and transitions are counted from labelled sequences. Immutable; decoding state lives in
/// <see cref="OnlineViterbi"/>.
/// </summary>
/// <remarks>
/// Emission scores are the forest's class probabilities (floored at <see cref="ProbabilityFloor"/> so one confident
/// tree vote cannot veto a state): the forest was trained with balanced class weights, so its output already
/// behaves like a likelihood up to a constant and no division by a class prior is needed.
/// </remarks>
internal sealed class HiddenMarkovModel
{
    public const float ProbabilityFloor = 1e-3f;

    public HiddenMarkovModel(float[] logInitial, float[] logTransition)
    {
        States = logInitial.Length;
        if (logTransition.Length != States * States)
        {
            throw new ArgumentException($"A {States}-state model needs {States * States} transition entries.", nameof(logTransition));
        }

        LogInitial = logInitial;
        LogTransition = logTransition;
    }

    public int States { get; }

    /// <summary>log P(first state).</summary>
    public float[] LogInitial { get; }

    /// <summary>log P(to | from), row-major by from.</summary>
    public float[] LogTransition { get; }

    /// <summary>
    /// Counts transitions in labelled sequences (each a run of consecutive windows), adds
    /// <paramref name="pseudoCount"/> to every cell so unseen changes stay possible, and normalises.
    /// </summary>
    public static HiddenMarkovModel Learn(IEnumerable<int[]> sequences, int states, double pseudoCount = 1.0)
    {
        var initial = Enumerable.Repeat(pseudoCount, states).ToArray();
        var counts = new double[states * states];
        Array.Fill(counts, pseudoCount);
        foreach (var seq in sequences)
        {
            if (seq.Length == 0)
            {
                continue;
            }

            initial[seq[0]]++;
            for (var i = 1; i < seq.Length; i++)
            {
                counts[(seq[i - 1] * states) + seq[i]]++;
            }
        }

        var logInitial = new float[states];
        var totalInitial = initial.Sum();
        for (var s = 0; s < states; s++)
        {
            logInitial[s] = (float)Math.Log(initial[s] / totalInitial);
        }

        var logTransition = new float[states * states];
        for (var from = 0; from < states; from++)
        {
            var row = counts.AsSpan(from * states, states);
            var total = 0.0;
            foreach (var c in row)
            {
                total += c;
            }

            for (var to = 0; to < states; to++)
            {
                logTransition[(from * states) + to] = (float)Math.Log(row[to] / total);
            }
        }

        return new HiddenMarkovModel(logInitial, logTransition);
    }

    /// <summary>Most likely state sequence for a whole run of windows (offline Viterbi).</summary>
    /// <param name="probabilities">Row-major, <see cref="States"/> probabilities per window.</param>
    public int[] Decode(ReadOnlySpan<float> probabilities)
    {
        var decoder = new OnlineViterbi(this);
        var path = new List<int>();
        var windows = probabilities.Length / States;
        for (var t = 0; t < windows; t++)
        {
            decoder.Step(t, probabilities.Slice(t * States, States), (_, s) => path.Add(s));
        }

        decoder.Flush((_, s) => path.Add(s));
        return [.. path];
    }
}

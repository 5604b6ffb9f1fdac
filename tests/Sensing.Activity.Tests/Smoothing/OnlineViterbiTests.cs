using Sensing.Activity.Smoothing;

namespace Sensing.Activity.Tests.Smoothing;

public class OnlineViterbiTests
{
    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(2, 9, 40)]
    [InlineData(3, 9, 300)]
    [InlineData(4, 4, 1000)]
    public void Streaming_decoding_equals_offline_viterbi(int seed, int states, int length)
    {
        var random = new Random(seed);
        var sequences = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 30).Select(i => (i / 10 + random.Next(2)) % states).ToArray());
        var hmm = HiddenMarkovModel.Learn(sequences, states);
        var probabilities = Enumerable.Range(0, length * states).Select(_ => (float)random.NextDouble()).ToArray();

        var online = new List<(long, int)>();
        var decoder = new OnlineViterbi(hmm);
        for (var t = 0; t < length; t++)
        {
            decoder.Step(t, probabilities.AsSpan(t * states, states), (id, s) => online.Add((id, s)));
        }

        decoder.Flush((id, s) => online.Add((id, s)));
        Assert.Equal(Enumerable.Range(0, length).Select(i => (long)i), online.Select(o => o.Item1));
        Assert.Equal(ReferenceViterbi(hmm, probabilities, length), online.Select(o => o.Item2).ToArray());
    }

    [Theory]
    [InlineData(5, 9, false)]
    [InlineData(6, 9, true)]
    [InlineData(7, 16, true)]
    [InlineData(8, 17, false)]
    public void Vector_steps_decide_every_window_as_the_scalar_steps_do(int seed, int states, bool coarse)
    {
        // Coarse probabilities (tenths) and a symmetric model make ties between predecessors: the first best must win in both.
        var random = new Random(seed);
        var sequences = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 40).Select(i => (i / 8 + random.Next(3)) % states).ToArray());
        var hmm = coarse ? new HiddenMarkovModel(new float[states], Enumerable.Repeat(MathF.Log(1f / states), states * states).ToArray()) : HiddenMarkovModel.Learn(sequences, states);
        var probabilities = Enumerable.Range(0, 500 * states).Select(_ => coarse ? random.Next(11) / 10f : (float)random.NextDouble()).ToArray();

        List<(long, int)> Decode(bool allowVectors)
        {
            var decided = new List<(long, int)>();
            var decoder = new OnlineViterbi(hmm, allowVectors);
            for (var t = 0; t < 500; t++)
            {
                decoder.Step(t, probabilities.AsSpan(t * states, states), (id, s) => decided.Add((id, s)));
                if (t % 97 == 96)
                {
                    decoder.Flush((id, s) => decided.Add((id, s)));
                }
            }

            decoder.Flush((id, s) => decided.Add((id, s)));
            return decided;
        }

        Assert.Equal(Decode(allowVectors: false), Decode(allowVectors: true));
    }

    [Fact]
    public void Learned_transitions_favour_staying()
    {
        var hmm = HiddenMarkovModel.Learn([[0, 0, 0, 0, 1, 1, 1, 1]], 2);
        Assert.True(hmm.LogTransition[0] > hmm.LogTransition[1]);
        Assert.Equal(1.0, Math.Exp(hmm.LogTransition[0]) + Math.Exp(hmm.LogTransition[1]), 5);
    }

    [Fact]
    public void An_isolated_odd_window_is_smoothed_away()
    {
        var hmm = HiddenMarkovModel.Learn([Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 50)).ToArray()], 2);
        var p = new float[] { 0.8f, 0.2f, 0.8f, 0.2f, 0.3f, 0.7f, 0.8f, 0.2f, 0.8f, 0.2f };
        Assert.Equal([0, 0, 0, 0, 0], hmm.Decode(p));
    }

    private static int[] ReferenceViterbi(HiddenMarkovModel hmm, float[] p, int length)
    {
        var s = hmm.States;
        var score = new double[length, s];
        var back = new int[length, s];
        for (var j = 0; j < s; j++)
        {
            score[0, j] = hmm.LogInitial[j] + Math.Log(Math.Max(p[j], HiddenMarkovModel.ProbabilityFloor));
        }

        for (var t = 1; t < length; t++)
        {
            for (var j = 0; j < s; j++)
            {
                var best = double.NegativeInfinity;
                for (var i = 0; i < s; i++)
                {
                    var v = score[t - 1, i] + hmm.LogTransition[(i * s) + j];
                    if (v > best)
                    {
                        best = v;
                        back[t, j] = i;
                    }
                }

                score[t, j] = best + Math.Log(Math.Max(p[(t * s) + j], HiddenMarkovModel.ProbabilityFloor));
            }
        }

        var path = new int[length];
        for (var j = 1; j < s; j++)
        {
            if (score[length - 1, j] > score[length - 1, path[length - 1]])
            {
                path[length - 1] = j;
            }
        }

        for (var t = length - 1; t > 0; t--)
        {
            path[t - 1] = back[t, path[t]];
        }

        return path;
    }
}

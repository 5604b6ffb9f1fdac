using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sensing.Activity.Features;

namespace Sensing.Activity.Smoothing;

/// <summary>
/// Viterbi decoding of an unbounded stream that emits each step as soon as it is certain: once every surviving
/// path agrees on a step, no later window can change it. This gives exactly the offline Viterbi path, with a
/// delay of a few windows in practice; <see cref="MaxPending"/> bounds memory on pathological streams (then the
/// oldest step is decided from the currently best path). Not thread-safe.
/// </summary>
internal sealed class OnlineViterbi
{
    /// <summary>Undecided steps kept at most (half an hour of 10 s windows).</summary>
    public const int MaxPending = 180;

    // Back-pointer arrays kept for reuse at most: a long undecided stretch needs up to MaxPending of them once, and a
    // band should not hold that many for the rest of its stream.
    private const int MaxSpare = 16;

    private readonly HiddenMarkovModel _model;
    private readonly int _states;

    // The transition rows padded to 16 lanes (-infinity past the states), where the states fit one Vector512; else null.
    private readonly float[]? _rows512;
    private readonly Vector512<float> _initial512; // the initial log probabilities, one lane per state
    private readonly float[] _emission;
    private readonly int _backLength;
    private float[] _score;
    private float[] _next;
    private readonly List<PendingStep> _pending = [];
    private readonly Queue<int[]> _spare = new();
    private int[] _trace = new int[16]; // the states of the steps being decided, oldest first
    private bool _started;

    /// <param name="model">The model to decode with.</param>
    /// <param name="allowVectors">False for the scalar reference the tests hold the vector step to.</param>
    public OnlineViterbi(HiddenMarkovModel model, bool allowVectors = true)
    {
        _model = model;
        _states = model.States;
        var lanes = Math.Max(_states, Vector512<float>.Count);
        (_score, _next, _emission) = (new float[lanes], new float[lanes], new float[lanes]);
        _backLength = _states;
        if (allowVectors && Vector512.IsHardwareAccelerated && _states <= Vector512<float>.Count)
        {
            _rows512 = new float[_states * Vector512<float>.Count];
            _rows512.AsSpan().Fill(float.NegativeInfinity);
            for (var from = 0; from < _states; from++)
            {
                model.LogTransition.AsSpan(from * _states, _states).CopyTo(_rows512.AsSpan(from * Vector512<float>.Count));
            }

            var initial = new float[Vector512<float>.Count];
            model.LogInitial.CopyTo(initial, 0);
            _initial512 = Vector512.Create<float>(initial);
            _backLength = Vector512<int>.Count;
        }
    }

    /// <summary>Steps not yet decided.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Adds one window's class probabilities; calls <paramref name="decided"/> (id, state) for each step that became certain, in order.</summary>
    public void Step(long id, ReadOnlySpan<float> probabilities, Action<long, int> decided)
    {
        var back = _spare.Count > 0 ? _spare.Dequeue() : new int[_backLength];
        if (_rows512 is { } rows)
        {
            Advance512(rows, probabilities, back);
        }
        else
        {
            Advance(probabilities, back);
        }

        _started = true;
        _pending.Add(new PendingStep(id, back, (1 << _states) - 1));
        EmitConverged(decided);
        if (_pending.Count > MaxPending)
        {
            EmitOldestFromBest(decided);
        }
    }

    // The scores after one more window: for each state, the best score of arriving in it (the first best predecessor
    // into back) plus its emission; then all less the largest, as only differences matter. The scalar reference.
    private void Advance(ReadOnlySpan<float> probabilities, int[] back)
    {
        var trans = _model.LogTransition;
        for (var to = 0; to < _states; to++)
        {
            var emission = Emission(probabilities[to]);
            if (!_started)
            {
                (_next[to], back[to]) = (_model.LogInitial[to] + emission, to);
                continue;
            }

            var best = float.NegativeInfinity;
            var arg = 0;
            for (var from = 0; from < _states; from++)
            {
                var v = _score[from] + trans[(from * _states) + to];
                if (v > best)
                {
                    best = v;
                    arg = from;
                }
            }

            (_next[to], back[to]) = (best + emission, arg);
        }

        (_score, _next) = (_next, _score);
        var max = float.NegativeInfinity;
        for (var s = 0; s < _states; s++)
        {
            max = MathF.Max(max, _score[s]);
        }

        for (var s = 0; s < _states; s++)
        {
            _score[s] -= max;
        }
    }

    // The same, every state at once (lane = state arrived in), going through the states arrived from in order: the same
    // additions, comparisons and logarithms, so the same scores and the same first best. Lanes past the states hold
    // -infinity (the padded rows give it, and the largest is taken over the states alone).
    private void Advance512(float[] rows, ReadOnlySpan<float> probabilities, int[] back)
    {
        ref var emissionAt = ref MemoryMarshal.GetArrayDataReference(_emission);
        probabilities[.._states].CopyTo(_emission);
        var emission = Vector512.Log(Vector512.Max(Vector512.LoadUnsafe(ref emissionAt), Vector512.Create(HiddenMarkovModel.ProbabilityFloor)));
        var states = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(_states)).AsSingle();
        Vector512<float> score;
        Vector512<int> arg;
        if (!_started)
        {
            (score, arg) = (_initial512 + emission, Vector512<int>.Indices);
        }
        else
        {
            ref var row = ref MemoryMarshal.GetArrayDataReference(rows);
            var best = Vector512.Create(float.NegativeInfinity);
            arg = Vector512<int>.Zero;
            for (var from = 0; from < _states; from++)
            {
                var candidate = Vector512.Create(_score[from]) + Vector512.LoadUnsafe(ref row, (nuint)(from * Vector512<float>.Count));
                var better = Vector512.GreaterThan(candidate, best);
                best = Vector512.ConditionalSelect(better, candidate, best);
                arg = Vector512.ConditionalSelect(better.AsInt32(), Vector512.Create(from), arg);
            }

            score = best + emission;
        }

        score = Vector512.ConditionalSelect(states, score, Vector512.Create(float.NegativeInfinity));
        var max = ActivityKernels.Largest(score);
        (score - Vector512.Create(max)).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_score));
        arg.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(back));
    }

    /// <summary>Ends the run: decides every pending step from the best final state and resets for a new run.</summary>
    public void Flush(Action<long, int> decided)
    {
        if (_pending.Count > 0)
        {
            DecideFirst(_pending.Count, ArgMax(_score.AsSpan(0, _states)), decided);
        }

        _started = false;
    }

    private void EmitConverged(Action<long, int> decided)
    {
        // Walk the survivors back (as bit sets of states) from the step just added; where they meet in one state, that
        // step and all before it are fixed. A new step can only narrow the survivors of the steps before it, so the walk
        // stops at the first step whose survivors it leaves as they were: all before it stay as they were too, and none
        // of them is a single state (that would have been fixed when it became one).
        var steps = CollectionsMarshal.AsSpan(_pending);
        for (var t = steps.Length - 1; t >= 1; t--)
        {
            var back = steps[t].Back;
            var previous = 0;
            for (var set = steps[t].Survivors; set != 0; set &= set - 1)
            {
                previous |= 1 << back[BitOperations.TrailingZeroCount(set)];
            }

            if (previous == steps[t - 1].Survivors)
            {
                return;
            }

            steps[t - 1].Survivors = previous;
            if ((previous & (previous - 1)) == 0)
            {
                // Step t-1 is certain in that one state, and so is every step before it.
                DecideFirst(t, BitOperations.TrailingZeroCount(previous), decided);
                return;
            }
        }
    }

    private void EmitOldestFromBest(Action<long, int> decided)
    {
        var state = ArgMax(_score.AsSpan(0, _states));
        for (var t = _pending.Count - 1; t >= 1; t--)
        {
            state = _pending[t].Back[state];
        }

        DecideFirst(1, state, decided);

        // The decided step is now the only history: force later steps to descend from it.
        var first = _pending[0].Back;
        for (var s = 0; s < _states; s++)
        {
            first[s] = state;
        }
    }

    // Decides the oldest `count` pending steps, the last of them in `state`, by tracing its best predecessors back, then
    // hands them on in order and lets them go.
    private void DecideFirst(int count, int state, Action<long, int> decided)
    {
        if (_trace.Length < count)
        {
            _trace = new int[Math.Max(count, 2 * _trace.Length)];
        }

        for (var k = count - 1; k >= 0; k--)
        {
            _trace[k] = state;
            state = _pending[k].Back[state];
        }

        for (var k = 0; k < count; k++)
        {
            decided(_pending[k].Id, _trace[k]);
            Recycle(_pending[k].Back);
        }

        _pending.RemoveRange(0, count);
    }

    private void Recycle(int[] back)
    {
        if (_spare.Count < MaxSpare)
        {
            _spare.Enqueue(back);
        }
    }

    // log max(p, floor) by the runtime's vector logarithm, one lane: the arithmetic Advance512 does in every lane.
    private static float Emission(float p) => Vector128.Log(Vector128.CreateScalar(MathF.Max(p, HiddenMarkovModel.ProbabilityFloor))).ToScalar();

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        var best = 0;
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }

        return best;
    }
}

/// <summary>
/// A step not yet decided: its window, each state's best predecessor, and its survivors (the states that some path
/// from the newest step's states still passes through, as a bit set).
/// </summary>
internal record struct PendingStep(long Id, int[] Back, int Survivors);

namespace Sensing.Signal.Filters;

/// <summary>
/// A cascade of biquads with its state (transposed direct form II, in double for stability at low cut-offs, each
/// product added with a fused multiply-add: one rounding, and a shorter chain from one output to the next).
/// <see cref="Reset(double)"/> starts the filter in the steady state for a constant input, so that a recording or a
/// run after a gap does not begin with the step response of gravity (which would look like a burst of steps).
/// </summary>
public sealed class BiquadCascade
{
    private readonly Biquad[] _sections;
    private readonly double[] _state;       // two per section
    private readonly double[] _steadyState; // state per unit constant input

    public BiquadCascade(Biquad[] sections)
    {
        _sections = sections;
        _state = new double[sections.Length * 2];
        _steadyState = new double[sections.Length * 2];

        // Steady state for a constant input of 1: solve each section's fixed point, feeding the next with its DC output.
        var input = 1.0;
        for (var k = 0; k < sections.Length; k++)
        {
            var s = sections[k];
            var output = input * s.DcGain;
            _steadyState[(2 * k) + 1] = (s.B2 * input) - (s.A2 * output);
            _steadyState[2 * k] = (s.B1 * input) - (s.A1 * output) + _steadyState[(2 * k) + 1];
            input = output;
        }
    }

    /// <summary>Sets the state to the steady state for a constant input <paramref name="value"/>.</summary>
    public void Reset(double value)
    {
        for (var i = 0; i < _state.Length; i++)
        {
            _state[i] = _steadyState[i] * value;
        }
    }

    /// <summary>Sets the state (two per section), for deriving the filter's responses.</summary>
    internal void SetState(ReadOnlySpan<double> state) => state.CopyTo(_state);

    /// <summary>Copies the state (two per section) out.</summary>
    internal void CopyState(Span<double> destination) => _state.CopyTo(destination);

    /// <summary>Filters one sample.</summary>
    public double Process(double x)
    {
        var sections = _sections;
        var state = _state;
        for (var k = 0; k < sections.Length; k++)
        {
            ref readonly var s = ref sections[k];
            var y = Math.FusedMultiplyAdd(s.B0, x, state[2 * k]);
            state[2 * k] = Math.FusedMultiplyAdd(-s.A1, y, Math.FusedMultiplyAdd(s.B1, x, state[(2 * k) + 1]));
            state[(2 * k) + 1] = Math.FusedMultiplyAdd(-s.A2, y, s.B2 * x);
            x = y;
        }

        return x;
    }

    /// <summary>
    /// Filters a block (in place allowed): per sample exactly the arithmetic of <see cref="Process(double)"/>, the
    /// output rounded to float.
    /// </summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var pass = default(PassThrough);
        Process(input, output, output, ref pass);
    }

    /// <summary>
    /// Filters a block as <see cref="Process(ReadOnlySpan{float}, Span{float})"/> and hands each output, in order, to
    /// <paramref name="follower"/>, whose results go to <paramref name="followed"/>: a sequential recursion on the
    /// output (a running level, say) runs in the same loop, beside the filter's own. The usual two sections (a
    /// band-pass of order 2) run with their state, and the follower's, in registers.
    /// </summary>
    public void Process<TFollower>(ReadOnlySpan<float> input, Span<float> output, Span<float> followed, ref TFollower follower)
        where TFollower : struct, IFilterFollower
    {
        if (output.Length < input.Length || followed.Length < input.Length)
        {
            throw new ArgumentException($"An output ({output.Length}, {followed.Length}) is shorter than the input ({input.Length}).", nameof(output));
        }

        var f = follower;
        output = output[..input.Length];
        followed = followed[..input.Length];
        if (_sections.Length != 2)
        {
            for (var i = 0; i < input.Length; i++)
            {
                var y = (float)Process(input[i]);
                output[i] = y;
                followed[i] = f.Follow(y);
            }

            follower = f;
            return;
        }

        var (p, q) = (_sections[0], _sections[1]);
        double p0 = _state[0], p1 = _state[1], q0 = _state[2], q1 = _state[3];
        for (var i = 0; i < input.Length; i++)
        {
            // The same fused operations as Process(double), with the terms that wait on no output (B x + state)
            // formed first: each section's recursion is then two fused multiply-adds deep per sample.
            double x = input[i];
            var y = Math.FusedMultiplyAdd(p.B0, x, p0);
            p0 = Math.FusedMultiplyAdd(-p.A1, y, Math.FusedMultiplyAdd(p.B1, x, p1));
            p1 = Math.FusedMultiplyAdd(-p.A2, y, p.B2 * x);
            var z = Math.FusedMultiplyAdd(q.B0, y, q0);
            q0 = Math.FusedMultiplyAdd(-q.A1, z, Math.FusedMultiplyAdd(q.B1, y, q1));
            q1 = Math.FusedMultiplyAdd(-q.A2, z, q.B2 * y);
            var output32 = (float)z;
            output[i] = output32;
            followed[i] = f.Follow(output32);
        }

        (_state[0], _state[1], _state[2], _state[3]) = (p0, p1, q0, q1);
        follower = f;
    }

    private struct PassThrough : IFilterFollower
    {
        public readonly float Follow(float output) => output;
    }
}

/// <summary>A recursion run on a filter's outputs in the filter's own loop (see <see cref="BiquadCascade"/>).</summary>
public interface IFilterFollower
{
    /// <summary>The next output of the filter; returns what goes to the followed block.</summary>
    float Follow(float output);
}

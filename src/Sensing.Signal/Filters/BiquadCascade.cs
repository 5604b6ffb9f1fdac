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
    /// output rounded to float. The step counter runs the same filter as a <see cref="BlockedFilter"/>.
    /// </summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"The output ({output.Length}) is shorter than the input ({input.Length}).", nameof(output));
        }

        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (float)Process(input[i]);
        }
    }
}

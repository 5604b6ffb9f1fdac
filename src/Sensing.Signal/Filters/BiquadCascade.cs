namespace Sensing.Signal.Filters;

/// <summary>
/// A cascade of biquads with its state (transposed direct form II, in double for stability at low cut-offs).
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

    /// <summary>Filters one sample.</summary>
    public double Process(double x)
    {
        var sections = _sections;
        var state = _state;
        for (var k = 0; k < sections.Length; k++)
        {
            ref readonly var s = ref sections[k];
            var y = (s.B0 * x) + state[2 * k];
            state[2 * k] = (s.B1 * x) - (s.A1 * y) + state[(2 * k) + 1];
            state[(2 * k) + 1] = (s.B2 * x) - (s.A2 * y);
            x = y;
        }

        return x;
    }
}

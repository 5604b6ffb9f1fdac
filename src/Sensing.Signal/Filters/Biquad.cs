namespace Sensing.Signal.Filters;

/// <summary>
/// One second-order IIR section, normalised so that a0 = 1:
/// <c>y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2]</c>.
/// </summary>
public readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Gain at zero frequency: (b0 + b1 + b2) / (1 + a1 + a2).</summary>
    public double DcGain => (B0 + B1 + B2) / (1 + A1 + A2);

    /// <summary>Magnitude of the response at <paramref name="frequencyHz"/> for sample rate <paramref name="rateHz"/>.</summary>
    public double GainAt(double frequencyHz, double rateHz)
    {
        var w = 2 * Math.PI * frequencyHz / rateHz;
        var z1 = new System.Numerics.Complex(Math.Cos(-w), Math.Sin(-w));
        var z2 = z1 * z1;
        var numerator = B0 + (B1 * z1) + (B2 * z2);
        var denominator = 1 + (A1 * z1) + (A2 * z2);
        return (numerator / denominator).Magnitude;
    }
}

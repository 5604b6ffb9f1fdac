namespace Sensing.Signal.Filters;

/// <summary>
/// Butterworth filters designed at run time for any sample rate, as cascades of biquads from the bilinear
/// transform with pre-warped cut-offs (the RBJ forms with the Butterworth pole Qs). No coefficient is typed in:
/// a 12.5 Hz band and a 200 Hz band get their own correct coefficients.
/// </summary>
public static class ButterworthDesign
{
    /// <summary>A low-pass of even <paramref name="order"/> (2, 4, ...) with -3 dB at <paramref name="cutoffHz"/>.</summary>
    public static Biquad[] LowPass(int order, double cutoffHz, double rateHz)
        => Sections(order, cutoffHz, rateHz, highPass: false);

    /// <summary>A high-pass of even <paramref name="order"/> with -3 dB at <paramref name="cutoffHz"/>.</summary>
    public static Biquad[] HighPass(int order, double cutoffHz, double rateHz)
        => Sections(order, cutoffHz, rateHz, highPass: true);

    /// <summary>A band-pass: a high-pass at <paramref name="lowHz"/> then a low-pass at <paramref name="highHz"/>, each of <paramref name="order"/>.</summary>
    public static Biquad[] BandPass(int order, double lowHz, double highHz, double rateHz)
    {
        if (lowHz >= highHz)
        {
            throw new ArgumentException($"Band edges are reversed: {lowHz} Hz >= {highHz} Hz.");
        }

        return [.. HighPass(order, lowHz, rateHz), .. LowPass(order, highHz, rateHz)];
    }

    private static Biquad[] Sections(int order, double cutoffHz, double rateHz, bool highPass)
    {
        if (order < 2 || order % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Order must be even and at least 2.");
        }

        if (cutoffHz <= 0 || cutoffHz >= rateHz / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"Cut-off must lie in (0, {rateHz / 2}) Hz for a {rateHz} Hz rate.");
        }

        var sections = new Biquad[order / 2];
        var w0 = 2 * Math.PI * cutoffHz / rateHz;
        var cos = Math.Cos(w0);
        var sin = Math.Sin(w0);
        for (var k = 0; k < sections.Length; k++)
        {
            // Pole pair k of an order-N Butterworth: Q = 1 / (2 sin((2k + 1) pi / (2N))).
            var q = 1 / (2 * Math.Sin((((2 * k) + 1) * Math.PI) / (2 * order)));
            var alpha = sin / (2 * q);
            var a0 = 1 + alpha;
            var b0 = highPass ? (1 + cos) / 2 : (1 - cos) / 2;
            var b1 = highPass ? -(1 + cos) : 1 - cos;
            sections[k] = new Biquad(b0 / a0, b1 / a0, b0 / a0, -2 * cos / a0, (1 - alpha) / a0);
        }

        return sections;
    }
}

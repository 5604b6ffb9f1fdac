namespace Sensing.Activity.Features;

/// <summary>
/// The frequency bands the spectral features sum, as bin ranges of a power spectrum: below 0.2 Hz is drift and is
/// left out; 0.2-0.7 Hz is breathing and slow sway, 0.7-2.6 Hz arm swing and steps, above that impacts and tremor.
/// </summary>
internal sealed class SpectrumBands
{
    public SpectrumBands(float binHz, int bins)
    {
        BinHz = binHz;
        Low = Math.Max(1, (int)MathF.Ceiling(0.2f / binHz));
        SlowEnd = FirstBinAtOrAbove(0.7f, Low, bins);
        GaitEnd = FirstBinAtOrAbove(2.6f, SlowEnd, bins);
        LogBinCount = MathF.Log(bins - Low);
    }

    public float BinHz { get; }

    /// <summary>First bin counted (at or above 0.2 Hz).</summary>
    public int Low { get; }

    /// <summary>First bin of the gait band (0.7 Hz).</summary>
    public int SlowEnd { get; }

    /// <summary>First bin of the fast band (2.6 Hz).</summary>
    public int GaitEnd { get; }

    /// <summary>ln of the number of bins counted: the entropy of a flat spectrum, which normalises entropy to [0, 1].</summary>
    public float LogBinCount { get; }

    private int FirstBinAtOrAbove(float hz, int from, int bins)
    {
        var k = from;
        while (k < bins && k * BinHz < hz)
        {
            k++;
        }

        return k;
    }
}

namespace Sensing.Simulator.Measurement;

/// <summary>What one source costs on the air and in flash, measured by <see cref="CompressionMeter"/>.</summary>
/// <param name="Source">What was measured (motion kind or recording set).</param>
/// <param name="RateHz">Sample rate of the band.</param>
/// <param name="Mtu">ATT MTU of the live stream; 0 for the stored (flash) frames.</param>
/// <param name="Samples">Samples carried.</param>
/// <param name="Frames">Frames (notifications, or stored frames).</param>
/// <param name="Bytes">Frame bytes, headers and CRCs included (the ATT notification header of 3 bytes is not).</param>
public sealed record CompressionFigure(string Source, double RateHz, int Mtu, long Samples, long Frames, long Bytes)
{
    /// <summary>Raw int16 x, y, z: the reference the protocol compresses against.</summary>
    public const double RawBytesPerSample = 6;

    /// <summary>Frame bytes per sample.</summary>
    public double BytesPerSample => Samples == 0 ? 0 : Bytes / (double)Samples;

    /// <summary>Raw bytes over frame bytes (above 1 means smaller than raw).</summary>
    public double CompressionRatio => Bytes == 0 ? 0 : RawBytesPerSample * Samples / Bytes;
}

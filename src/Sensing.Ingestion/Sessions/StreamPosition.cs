namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Where a band's in-order stream stands: the boot being taken and the index of its next sample. Boots follow each
/// other mod 256 (the device increments its boot id on every reset), so "later" is measured from a position.
/// </summary>
/// <param name="Boot">The boot whose samples are taken now.</param>
/// <param name="Next">Index of the next sample of that boot.</param>
public readonly record struct StreamPosition(byte Boot, uint Next)
{
    /// <summary>How many resets after this position's boot <paramref name="boot"/> is (0 = the same boot).</summary>
    public int BootsAhead(byte boot) => (byte)(boot - Boot);

    /// <summary>The position at the start of the boot after this one.</summary>
    public StreamPosition NextBoot() => new((byte)(Boot + 1), 0);

    /// <inheritdoc />
    public override string ToString() => $"boot {Boot} index {Next}";
}

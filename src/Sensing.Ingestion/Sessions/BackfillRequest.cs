namespace Sensing.Ingestion.Sessions;

/// <summary>A BACKFILL the stream needs: indices <see cref="First"/>..<see cref="Last"/> (inclusive) of one boot.</summary>
internal readonly record struct BackfillRequest(byte Boot, uint First, uint Last)
{
    public uint Samples => Last - First + 1;
}

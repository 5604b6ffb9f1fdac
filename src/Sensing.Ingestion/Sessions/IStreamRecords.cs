using Sensing.Ingestion.Journal;
using Sensing.Protocol.Frames;

namespace Sensing.Ingestion.Sessions;

/// <summary>What the <see cref="StreamAssembler"/> decides the band's stream takes next (the session journals it).</summary>
internal interface IStreamRecords
{
    /// <summary>Samples <c>[header.Sequence, header.EndSequence)</c> of <c>header.BootId</c>, next in order.</summary>
    void Samples(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z);

    /// <summary>Indices <c>[first, first+count)</c> of <paramref name="boot"/> are no longer stored: the stream skips them.</summary>
    void Lost(byte boot, uint first, uint count, LossReason reason);

    /// <summary><paramref name="boot"/> has no more stored samples from <paramref name="end"/> on: the stream moves to the next boot.</summary>
    void BootFinished(byte boot, uint end);

    /// <summary>First contact: the stream starts at <paramref name="boot"/>, <paramref name="index"/>.</summary>
    void Start(byte boot, uint index);
}

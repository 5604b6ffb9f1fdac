using Sensing.Protocol.Frames;

namespace Sensing.Protocol.Tests.Frames;

/// <summary>A frame handler that keeps copies of everything, for assertions.</summary>
internal readonly struct CollectingHandler(CollectingHandler.Store store) : IFrameHandler
{
    public sealed class Store
    {
        public List<(FrameHeader Header, short[] X, short[] Y, short[] Z)> Frames { get; } = [];

        public List<(FrameRejectionReason Reason, long Offset)> Rejections { get; } = [];
    }

    public void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
        => store.Frames.Add((header, x.ToArray(), y.ToArray(), z.ToArray()));

    public void OnRejected(FrameRejectionReason reason, long streamOffset) => store.Rejections.Add((reason, streamOffset));
}

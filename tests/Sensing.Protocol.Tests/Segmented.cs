using System.Buffers;

namespace Sensing.Protocol.Tests;

/// <summary>Builds ReadOnlySequences split into segments, so parsers are tested on split buffers (style habit 5).</summary>
internal static class Segmented
{
    public static ReadOnlySequence<byte> Single(byte[] bytes) => new(bytes);

    public static ReadOnlySequence<byte> BytePerSegment(byte[] bytes) => Split(bytes, 1);

    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentLength)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null, last = null;
        for (int i = 0; i < bytes.Length; i += segmentLength)
        {
            var memory = bytes.AsMemory(i, Math.Min(segmentLength, bytes.Length - i));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;

namespace Sensing.Protocol.Frames;

/// <summary>
/// The one read loop over a notification pipe (style.md habit 3): ReadAsync, parse frames in a loop, AdvanceTo in a
/// finally (examined = End only when no complete frame remained), drain before honouring IsCompleted, complete the
/// reader at the end. Frames go to the handler as they are decoded.
/// </summary>
public static class FramePipeReader
{
    /// <summary>Reads frames until the writer completes or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="pipe">The notification stream: every Motion Data notification appended as it arrived.</param>
    /// <param name="parser">The stream's parser (its statistics accumulate).</param>
    /// <param name="handler">Receives frames and rejections.</param>
    /// <param name="cancellationToken">Stops reading; the method then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task ReadAsync<THandler>(
        PipeReader pipe, FrameParser parser, THandler handler, CancellationToken cancellationToken)
        where THandler : IFrameHandler
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            while (true)
            {
                ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                SequencePosition consumed = buffer.Start;
                try
                {
                    consumed = ParseAll(buffer, parser, ref handler, result.IsCompleted);
                }
                finally
                {
                    // Everything was examined: the parser only stops when the rest is an incomplete frame.
                    pipe.AdvanceTo(consumed, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static SequencePosition ParseAll<THandler>(
        ReadOnlySequence<byte> buffer, FrameParser parser, ref THandler handler, bool isFinal)
        where THandler : IFrameHandler
    {
        var reader = new SequenceReader<byte>(buffer);
        while (parser.TryParseFrame(ref reader, ref handler, isFinal))
        {
        }

        return reader.Position;
    }
}

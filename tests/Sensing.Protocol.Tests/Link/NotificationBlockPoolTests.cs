using System.Buffers;
using System.IO.Pipelines;
using Sensing.Protocol.Link;

namespace Sensing.Protocol.Tests.Link;

public class NotificationBlockPoolTests
{
    [Fact]
    public void A_returned_block_is_rented_again_and_a_second_dispose_does_not_return_it_twice()
    {
        var pool = new NotificationBlockPool();
        var first = pool.Rent(100);
        Assert.Equal(NotificationBlockPool.BlockBytes, first.Memory.Length);
        first.Memory.Span[0] = 42;
        first.Dispose();
        first.Dispose();
        Assert.Equal(1, pool.Retained);

        var again = pool.Rent();
        Assert.Same(first, again);
        Assert.Equal(0, pool.Retained);
        Assert.NotSame(again, pool.Rent()); // the queue is empty: a new block
    }

    [Fact]
    public void A_request_larger_than_a_block_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new NotificationBlockPool().Rent(NotificationBlockPool.BlockBytes + 1));

    [Fact]
    public void No_more_than_the_cap_is_kept_after_a_burst()
    {
        var pool = new NotificationBlockPool();
        var burst = Enumerable.Range(0, NotificationBlockPool.MaxRetainedBlocks + 100).Select(_ => pool.Rent()).ToList();
        burst.ForEach(b => b.Dispose());
        Assert.Equal(NotificationBlockPool.MaxRetainedBlocks, pool.Retained);
    }

    [Fact]
    public async Task A_pipe_on_the_pool_carries_bytes_across_blocks_and_gives_its_blocks_back()
    {
        var pool = new NotificationBlockPool();
        var pipe = new Pipe(new PipeOptions(pool, pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: NotificationBlockPool.BlockBytes, useSynchronizationContext: false));
        var sent = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        for (var at = 0; at < sent.Length; at += 244)
        {
            pipe.Writer.Write(sent.AsSpan(at, Math.Min(244, sent.Length - at)));
            await pipe.Writer.FlushAsync();
        }

        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            pipe.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await pipe.Reader.ReadAsync();
        }

        Assert.Equal(sent, result.Buffer.ToArray());
        pipe.Reader.AdvanceTo(result.Buffer.End);
        await pipe.Reader.CompleteAsync();
        Assert.InRange(pool.Retained, 5, 6); // 5,000 bytes took five or six 1 KiB blocks, all back
    }
}

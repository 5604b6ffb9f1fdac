using System.Buffers;
using System.Collections.Concurrent;

namespace Sensing.Protocol.Link;

/// <summary>
/// Fixed-size blocks for the pipes that carry notifications, shared by every link of a process (as Kestrel keeps its
/// own block pool rather than the shared array pool).
/// </summary>
/// <remarks>
/// With thousands of links, the transport rents a block on one thread and the session returns it on another, in
/// bursts larger than the shared array pool keeps per core: it then allocates a new array for nearly every
/// notification. Here a block and its owner are one reusable object, returned blocks wait in one queue, and at most
/// <see cref="MaxRetainedBlocks"/> are kept, so a burst of backfill does not stay resident after it.
/// </remarks>
public sealed class NotificationBlockPool : MemoryPool<byte>
{
    /// <summary>Bytes per block: a few notifications (at most 244 bytes each) or one whole loopback PDU.</summary>
    public const int BlockBytes = 1024;

    /// <summary>Blocks kept for reuse at most (16 MiB).</summary>
    public const int MaxRetainedBlocks = 16 * 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    /// <summary>The pool every link shares.</summary>
    public static NotificationBlockPool Instance { get; } = new();

    /// <inheritdoc />
    public override int MaxBufferSize => BlockBytes;

    /// <summary>Blocks waiting for reuse.</summary>
    public int Retained => Volatile.Read(ref _retained);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minBufferSize"/> is over <see cref="BlockBytes"/>.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockBytes);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Rented = true;
            return block;
        }

        return new Block(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Shared for the process's life: blocks are garbage once nothing holds them.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block(NotificationBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = new byte[BlockBytes];

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // A pipe disposes each owner once; a second dispose must not put the block in the queue twice.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}

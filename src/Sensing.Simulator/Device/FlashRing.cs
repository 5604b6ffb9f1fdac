using System.Buffers.Binary;

namespace Sensing.Simulator.Device;

/// <summary>
/// The device's flash ring buffer of encoded frames (README §7), slot for slot the C reference's <c>sp_ring</c>:
/// slots are addressed by a serial number that only grows, so a backfill cursor stays valid (or visibly stale)
/// while ACKs and overflow free slots under it.
/// </summary>
public sealed class FlashRing
{
    private readonly byte[][] _bytes;
    private readonly int[] _length;
    private readonly byte[] _boot;
    private readonly uint[] _seq;
    private readonly byte[] _count;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots of 244 bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">capacity is less than 1.</exception>
    public FlashRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _bytes = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
        {
            _bytes[i] = new byte[Sensing.Protocol.Frames.FrameFormat.MaxFrameBytes];
        }

        _length = new int[capacity];
        _boot = new byte[capacity];
        _seq = new uint[capacity];
        _count = new byte[capacity];
    }

    /// <summary>Slots.</summary>
    public int Capacity { get; }

    /// <summary>Serial of the oldest stored slot.</summary>
    public uint Oldest { get; private set; }

    /// <summary>Serial the next stored slot gets.</summary>
    public uint Next { get; private set; }

    /// <summary>Stored slots.</summary>
    public int Count => (int)(Next - Oldest);

    /// <summary>True when the serial is stored.</summary>
    public bool Contains(uint serial) => serial - Oldest < (uint)Count;

    /// <summary>Boot id of a stored slot.</summary>
    public byte BootAt(uint serial) => _boot[Index(serial)];

    /// <summary>First sample index of a stored slot.</summary>
    public uint SeqAt(uint serial) => _seq[Index(serial)];

    /// <summary>Sample count of a stored slot.</summary>
    public int CountAt(uint serial) => _count[Index(serial)];

    /// <summary>The frame bytes of a stored slot.</summary>
    public ReadOnlySpan<byte> FrameAt(uint serial) => _bytes[Index(serial)].AsSpan(0, _length[Index(serial)]);

    /// <summary>Stores a frame; when full, first discards the oldest slot and returns its (boot, seq, count).</summary>
    public (byte Boot, uint Seq, int Count) Push(ReadOnlySpan<byte> frame)
    {
        (byte, uint, int) dropped = default;
        if (Count == Capacity)
        {
            dropped = (BootAt(Oldest), SeqAt(Oldest), CountAt(Oldest));
            Pop();
        }

        long i = Index(Next);
        frame.CopyTo(_bytes[i]);
        _length[i] = frame.Length;
        _boot[i] = frame[2];
        _seq[i] = BinaryPrimitives.ReadUInt32LittleEndian(frame[3..]);
        _count[i] = frame[11];
        Next++;
        return dropped;
    }

    /// <summary>Frees the oldest slot.</summary>
    public void Pop()
    {
        if (Count > 0)
        {
            Oldest++;
        }
    }

    private long Index(uint serial) => serial % (uint)Capacity;
}

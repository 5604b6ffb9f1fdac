namespace Sensing.Core;

/// <summary>
/// A run of timestamped 3-axis acceleration samples, in g, stored as separate arrays per axis
/// (structure of arrays) so that signal kernels can load whole vectors of one axis at a time.
/// </summary>
/// <remarks>
/// Timestamps are microseconds on the source's clock (see <see cref="RecordingClock"/>); they are strictly
/// what the source said, jitter and gaps included. When the source carries only the magnitude of
/// acceleration, <see cref="HasAxes"/> is false, <see cref="X"/> holds the magnitude and Y and Z are zero.
/// A block is reused by its producer: a consumer that keeps samples must copy them before the next block.
/// </remarks>
public sealed class SampleBlock
{
    private long[] _time;
    private float[] _x;
    private float[] _y;
    private float[] _z;

    /// <summary>Creates an empty block able to hold <paramref name="capacity"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">capacity is less than 1.</exception>
    public SampleBlock(int capacity, bool hasAxes = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = new long[capacity];
        _x = new float[capacity];
        _y = new float[capacity];
        _z = new float[capacity];
        HasAxes = hasAxes;
    }

    /// <summary>Number of samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Maximum number of samples the block holds before <see cref="IsFull"/>.</summary>
    public int Capacity => _time.Length;

    /// <summary>True when the block holds <see cref="Capacity"/> samples.</summary>
    public bool IsFull => Count == _time.Length;

    /// <summary>False when the source carried only the magnitude (held in <see cref="X"/>).</summary>
    public bool HasAxes { get; set; }

    /// <summary>Sample times, microseconds on the source clock.</summary>
    public Span<long> Time => _time.AsSpan(0, Count);

    /// <summary>X acceleration in g (or the magnitude when <see cref="HasAxes"/> is false).</summary>
    public Span<float> X => _x.AsSpan(0, Count);

    /// <summary>Y acceleration in g.</summary>
    public Span<float> Y => _y.AsSpan(0, Count);

    /// <summary>Z acceleration in g.</summary>
    public Span<float> Z => _z.AsSpan(0, Count);

    /// <summary>Appends one sample. The caller checks <see cref="IsFull"/> first.</summary>
    /// <exception cref="InvalidOperationException">The block is full.</exception>
    public void Add(long timeMicros, float x, float y, float z)
    {
        if (Count == _time.Length)
        {
            throw new InvalidOperationException($"SampleBlock is full ({Capacity} samples).");
        }

        _time[Count] = timeMicros;
        _x[Count] = x;
        _y[Count] = y;
        _z[Count] = z;
        Count++;
    }

    /// <summary>Moves every sample's time on by <paramref name="micros"/>: the same samples on a clock started that much earlier.</summary>
    public void MoveClock(long micros)
    {
        foreach (ref var time in Time)
        {
            time += micros;
        }
    }

    /// <summary>Sets the count after a producer wrote directly into the arrays through the Writable spans.</summary>
    public void SetCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        Count = count;
    }

    /// <summary>The whole backing time array, for producers that fill the block in bulk and then call <see cref="SetCount"/>.</summary>
    public Span<long> WritableTime => _time;

    /// <summary>The whole backing X array (see <see cref="WritableTime"/>).</summary>
    public Span<float> WritableX => _x;

    /// <summary>The whole backing Y array (see <see cref="WritableTime"/>).</summary>
    public Span<float> WritableY => _y;

    /// <summary>The whole backing Z array (see <see cref="WritableTime"/>).</summary>
    public Span<float> WritableZ => _z;

    /// <summary>Empties the block for reuse; keeps <see cref="HasAxes"/>.</summary>
    public void Clear() => Count = 0;

    /// <summary>Grows the capacity, keeping the samples held.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= Capacity)
        {
            return;
        }

        Array.Resize(ref _time, capacity);
        Array.Resize(ref _x, capacity);
        Array.Resize(ref _y, capacity);
        Array.Resize(ref _z, capacity);
    }

    /// <summary>A copy of samples [start, start+count) in a new block.</summary>
    public SampleBlock Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        var block = new SampleBlock(Math.Max(1, count), HasAxes);
        _time.AsSpan(start, count).CopyTo(block._time);
        _x.AsSpan(start, count).CopyTo(block._x);
        _y.AsSpan(start, count).CopyTo(block._y);
        _z.AsSpan(start, count).CopyTo(block._z);
        block.Count = count;
        return block;
    }
}

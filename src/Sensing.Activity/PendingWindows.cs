namespace Sensing.Activity;

/// <summary>
/// The classified windows waiting for the non-wear verdict (up to an hour: about 360), oldest first: each window's
/// index and class probabilities in two flat rings, so a band holds no object per waiting window. Not thread-safe.
/// </summary>
internal sealed class PendingWindows(int labels)
{
    private long[] _index = new long[16];
    private float[] _probabilities = new float[16 * labels];
    private int _first;

    public int Count { get; private set; }

    /// <summary>The oldest window's index (<see cref="Count"/> &gt; 0).</summary>
    public long FirstIndex => _index[_first];

    /// <summary>The oldest window's probabilities (<see cref="Count"/> &gt; 0), valid until the next <see cref="Add"/>.</summary>
    public ReadOnlySpan<float> FirstProbabilities => _probabilities.AsSpan(_first * labels, labels);

    /// <summary>Appends a window; returns where its probabilities go.</summary>
    public Span<float> Add(long index)
    {
        if (Count == _index.Length)
        {
            Grow();
        }

        var slot = (_first + Count) % _index.Length;
        _index[slot] = index;
        Count++;
        return _probabilities.AsSpan(slot * labels, labels);
    }

    public void RemoveFirst()
    {
        _first = (_first + 1) % _index.Length;
        Count--;
    }

    // By half again, not double: the hour's 361 windows fit in 406 slots rather than 512.
    private void Grow()
    {
        var capacity = _index.Length + (_index.Length / 2);
        var index = new long[capacity];
        var probabilities = new float[capacity * labels];
        for (var i = 0; i < Count; i++)
        {
            var from = (_first + i) % _index.Length;
            index[i] = _index[from];
            _probabilities.AsSpan(from * labels, labels).CopyTo(probabilities.AsSpan(i * labels));
        }

        (_index, _probabilities, _first) = (index, probabilities, 0);
    }
}

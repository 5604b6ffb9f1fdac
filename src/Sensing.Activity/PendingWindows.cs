using System.Numerics.Tensors;

namespace Sensing.Activity;

/// <summary>
/// The classified windows waiting for the non-wear verdict (up to an hour: about 360), oldest first: each window's
/// index and class probabilities in two flat rings, so a band holds no object per waiting window. Probabilities are
/// held as <see cref="Half"/>, which loses nothing: the forest rounds them to half precision; indexes as
/// <see cref="WindowOffsets"/>. Not thread-safe.
/// </summary>
internal sealed class PendingWindows(int labels)
{
    private const int InitialCapacity = 16;
    private const int ShrinkAbove = 64; // about ten minutes of windows: below it, keep the ring rather than churn it

    private int[] _offset = new int[InitialCapacity];
    private Half[] _probabilities = new Half[InitialCapacity * labels];
    private readonly float[] _first = new float[labels];
    private WindowOffsets _offsets;
    private int _head;

    public int Count { get; private set; }

    /// <summary>Windows the rings can hold before they grow.</summary>
    public int Capacity => _offset.Length;

    /// <summary>The oldest window's index (<see cref="Count"/> &gt; 0).</summary>
    public long FirstIndex => _offsets.IndexOf(_offset[_head]);

    /// <summary>The oldest window's probabilities (<see cref="Count"/> &gt; 0), valid until the next call.</summary>
    public ReadOnlySpan<float> FirstProbabilities
    {
        get
        {
            TensorPrimitives.ConvertToSingle(_probabilities.AsSpan(_head * labels, labels), _first);
            return _first;
        }
    }

    /// <summary>Appends a window (indexes increase) with its probabilities.</summary>
    public void Add(long index, ReadOnlySpan<float> probabilities)
    {
        var offset = _offsets.Of(index);
        if (Count == _offset.Length)
        {
            Grow();
        }

        var slot = (_head + Count) % _offset.Length;
        _offset[slot] = offset;
        TensorPrimitives.ConvertToHalf(probabilities[..labels], _probabilities.AsSpan(slot * labels, labels));

        Count++;
    }

    public void RemoveFirst()
    {
        _head = (_head + 1) % _offset.Length;
        Count--;
        if (Count == 0 && _offset.Length > ShrinkAbove)
        {
            // A band that was still for an hour held ~360 windows; once it moves again it needs a few, so give the
            // hour's ring back rather than keep it for the rest of the stream.
            (_offset, _probabilities, _head) = (new int[InitialCapacity], new Half[InitialCapacity * labels], 0);
        }
    }

    // By half again, not double: the hour's 361 windows fit in 406 slots rather than 512.
    private void Grow()
    {
        var capacity = _offset.Length + (_offset.Length / 2);
        var offset = new int[capacity];
        var probabilities = new Half[capacity * labels];
        for (var i = 0; i < Count; i++)
        {
            var from = (_head + i) % _offset.Length;
            offset[i] = _offset[from];
            _probabilities.AsSpan(from * labels, labels).CopyTo(probabilities.AsSpan(i * labels));
        }

        (_offset, _probabilities, _head) = (offset, probabilities, 0);
    }
}

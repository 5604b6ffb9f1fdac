using Sensing.Core;

namespace Sensing.Simulator;

/// <summary>
/// Keeps every <c>factor</c>-th sample of another source (no filtering), e.g. a 100 Hz recording played to a band set
/// to 25 Hz. Sample values are passed through untouched, so a recording keeps its sensor's resolution.
/// </summary>
public sealed class DecimatedSampleSource : ISampleSource
{
    private readonly ISampleSource _inner;
    private readonly int _factor;
    private SampleBlock? _buffer;
    private long _index;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">factor is less than 1.</exception>
    public DecimatedSampleSource(ISampleSource inner, int factor)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        _factor = factor;
    }

    /// <inheritdoc />
    public int Read(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        block.Clear();
        if (_buffer is null || _buffer.Capacity != block.Capacity * _factor)
        {
            _buffer = new SampleBlock(block.Capacity * _factor); // one inner block never yields more than `block` holds
        }

        while (block.Count == 0)
        {
            if (_inner.Read(_buffer) == 0)
            {
                return 0;
            }

            for (int i = 0; i < _buffer.Count; i++, _index++)
            {
                if (_index % _factor == 0)
                {
                    block.Add(_buffer.Time[i], _buffer.X[i], _buffer.Y[i], _buffer.Z[i]);
                }
            }
        }

        return block.Count;
    }
}

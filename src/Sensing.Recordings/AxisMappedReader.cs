using System.Numerics.Tensors;
using Sensing.Core;

namespace Sensing.Recordings;

/// <summary>Puts the samples of any reader into the wrist frame (<see cref="AxisMap"/>) as they are read.</summary>
internal sealed class AxisMappedReader : IRecordingReader
{
    private readonly IRecordingReader _inner;
    private readonly AxisMap _map;
    private float[] _scratch = [];

    public AxisMappedReader(IRecordingReader inner, AxisMap map)
    {
        _inner = inner;
        _map = map;
    }

    public RecordingInfo Info => _inner.Info;

    public TimelineReport Timeline => _inner.Timeline;

    public bool ReadBlock(SampleBlock block)
    {
        var more = _inner.ReadBlock(block);
        if (block.HasAxes && block.Count > 0)
        {
            Map(block);
        }

        return more;
    }

    public void Dispose() => _inner.Dispose();

    private void Map(SampleBlock block)
    {
        var n = block.Count;
        if (_scratch.Length < 3 * n)
        {
            _scratch = new float[3 * block.Capacity];
        }

        block.X.CopyTo(_scratch.AsSpan(0, n));
        block.Y.CopyTo(_scratch.AsSpan(n, n));
        block.Z.CopyTo(_scratch.AsSpan(2 * n, n));
        for (var axis = 0; axis < 3; axis++)
        {
            ReadOnlySpan<float> source = _scratch.AsSpan(_map.SourceOf(axis) * n, n);
            var target = axis switch { 0 => block.X, 1 => block.Y, _ => block.Z };
            if (_map.Negates(axis))
            {
                TensorPrimitives.Negate(source, target);
            }
            else
            {
                source.CopyTo(target);
            }
        }
    }
}

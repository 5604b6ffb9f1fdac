using System.Numerics.Tensors;
using Sensing.Core;

namespace Sensing.Signal.Resampling;

/// <summary>
/// Feeds sample blocks into a <see cref="GroupedGrid"/>: 3-axis blocks as they are, magnitude-only blocks as the
/// magnitude in the first channel and zeros in the others (so a grid point's length is the magnitude either way).
/// </summary>
internal sealed class GridFeeder
{
    private readonly bool _vectorised;
    private float[] _magnitude = [];
    private float[] _zeros = [];

    public GridFeeder(GroupedGrid grid, bool hasAxes, bool vectorised)
    {
        Grid = grid;
        HasAxes = hasAxes;
        _vectorised = vectorised;
    }

    public GroupedGrid Grid { get; }

    public bool HasAxes { get; }

    /// <exception cref="ArgumentException">The block is of the other kind (3-axis vs magnitude-only).</exception>
    public void Push<TSink>(SampleBlock block, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var n = block.Count;
        if (n == 0)
        {
            return;
        }

        if (block.HasAxes != HasAxes)
        {
            throw new ArgumentException($"This stream was started as {(HasAxes ? "3-axis" : "magnitude-only")} input; the block is the other kind.");
        }

        if (HasAxes)
        {
            Grid.Push(block.Time, block.X, block.Y, block.Z, ref sink);
            return;
        }

        if (_magnitude.Length < n)
        {
            _magnitude = new float[n];
            _zeros = new float[n];
        }

        var m = _magnitude.AsSpan(0, n);
        if (_vectorised)
        {
            TensorPrimitives.Abs(block.X, m);
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                m[i] = Math.Abs(block.X[i]);
            }
        }

        var zeros = _zeros.AsSpan(0, n);
        Grid.Push(block.Time, m, zeros, zeros, ref sink);
    }

    /// <exception cref="ArgumentException">This stream is magnitude-only.</exception>
    public void Push<TSink>(RawSamples samples, ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (!HasAxes)
        {
            throw new ArgumentException("This stream was started as magnitude-only input; raw x/y/z counts are the other kind.");
        }

        if (samples.Count > 0)
        {
            Grid.Push(samples, ref sink);
        }
    }

    public void Complete<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
        => Grid.Complete(ref sink);
}

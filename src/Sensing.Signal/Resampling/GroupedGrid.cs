using Sensing.Signal.Kernels;

namespace Sensing.Signal.Resampling;

/// <summary>
/// Brings a jittery, gappy stream of one channel at any rate (10-200 Hz) onto a uniform grid whose points are the
/// multiples of the grid period, so the grid does not depend on where a recording or a block starts.
/// </summary>
/// <remarks>
/// <para>Two stages. Per input sample, the only per-sample work: sums of groups of G consecutive samples by the SIMD
/// pair-sum kernel, G the power of two whose span is nearest below the grid period (8 at 100 Hz, 1 at 12.5 Hz); the
/// mean is an anti-alias box filter. A group's time is the midpoint of its first and last timestamps, which absorbs
/// jitter. Per group: linear interpolation onto the grid, about one point per group.</para>
/// <para>A group spanning more than 1.5 times its nominal length, a step back in time, or a jump between groups
/// longer than the gap threshold is a gap: the sink is told and nothing is interpolated across it. Groups are formed
/// by position in the stream (a group split across blocks is summed in the same order), so the grid points depend
/// only on the samples, not on how they were cut into blocks.</para>
/// </remarks>
internal sealed class GroupedGrid
{
    private const int Chunk = 4096;

    private readonly int _group;
    private readonly float _invGroup;
    private readonly long _period;
    private readonly long _gapMicros;
    private readonly long _maxGroupSpan;
    private readonly bool _vectorised;
    private readonly long[] _carryT;
    private readonly float[] _carry;
    private readonly float[] _sums = new float[Chunk];
    private readonly float[] _scratch = new float[Chunk];
    private int _carryCount;

    private bool _havePrevious;
    private long _prevT;
    private float _prev;
    private long _next; // the next grid point to emit

    /// <param name="nominalRateHz">The input's nominal rate: sets the group size.</param>
    /// <param name="gridRateHz">Points per second of the grid.</param>
    /// <param name="gapThreshold">A longer silence is a gap.</param>
    /// <param name="vectorised">False sums the groups with the scalar reference.</param>
    public GroupedGrid(double nominalRateHz, double gridRateHz, TimeSpan gapThreshold, bool vectorised)
    {
        _period = (long)Math.Round(1e6 / gridRateHz);
        _gapMicros = (long)(gapThreshold.TotalMilliseconds * 1000);
        _vectorised = vectorised;
        _group = 1;
        while (_group < 64 && 2 * _group / nominalRateHz <= _period / 1e6 * 1.0001)
        {
            _group *= 2;
        }

        _invGroup = 1f / _group;
        _maxGroupSpan = (long)(1.5 * _group * 1e6 / nominalRateHz) + 1000;
        _carryT = new long[_group];
        _carry = new float[_group];
    }

    /// <summary>Samples per group.</summary>
    public int GroupSize => _group;

    /// <summary>The grid period, microseconds.</summary>
    public long PeriodMicros => _period;

    /// <summary>Adds samples (times in microseconds, not decreasing within a stretch); grid points go to <paramref name="sink"/>.</summary>
    public void Push<TSink>(ReadOnlySpan<long> time, ReadOnlySpan<float> value, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var i = 0;

        // First complete a group left over from the previous block, in the same summation order.
        if (_carryCount > 0)
        {
            while (_carryCount < _group && i < time.Length)
            {
                _carryT[_carryCount] = time[i];
                _carry[_carryCount] = value[i];
                _carryCount++;
                i++;
            }

            if (_carryCount < _group)
            {
                return;
            }

            DecimationDriver.GroupSums(_carry, _group, _sums, _scratch, allowVectors: false);
            OnGroup(_carryT[0], _carryT[_group - 1], _sums[0] * _invGroup, ref sink);
            _carryCount = 0;
        }

        while (time.Length - i >= _group)
        {
            var take = Math.Min(Chunk, (time.Length - i) / _group * _group);
            var groups = DecimationDriver.GroupSums(value.Slice(i, take), _group, _sums, _scratch, _vectorised);
            var t = time.Slice(i, take);
            for (var g = 0; g < groups; g++)
            {
                var first = g * _group;
                OnGroup(t[first], t[first + _group - 1], _sums[g] * _invGroup, ref sink);
            }

            i += take;
        }

        for (; i < time.Length; i++)
        {
            _carryT[_carryCount] = time[i];
            _carry[_carryCount] = value[i];
            _carryCount++;
        }
    }

    /// <summary>Ends the stream: a trailing partial group is placed as a shorter mean.</summary>
    public void Complete<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (_carryCount == 0)
        {
            return;
        }

        float sum = 0;
        for (var k = 0; k < _carryCount; k++)
        {
            sum += _carry[k];
        }

        OnGroup(_carryT[0], _carryT[_carryCount - 1], sum / _carryCount, ref sink);
        _carryCount = 0;
    }

    private void OnGroup<TSink>(long firstT, long lastT, float mean, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var span = lastT - firstT;
        var tc = firstT + (span >> 1);
        if (span < 0 || span > _maxGroupSpan || !_havePrevious || tc <= _prevT || tc - _prevT > _gapMicros)
        {
            Restart(firstT, lastT, tc, mean, ref sink);
            return;
        }

        // Usually one grid point per group; the division is once per group, not per point.
        if (_next <= tc)
        {
            var inverse = 1f / (tc - _prevT);
            do
            {
                var w = (_next - _prevT) * inverse;
                sink.Sample(_next, _prev + (w * (mean - _prev)));
                _next += _period;
            }
            while (_next <= tc);
        }

        _prevT = tc;
        _prev = mean;
    }

    private void Restart<TSink>(long firstT, long lastT, long tc, float mean, ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (_havePrevious)
        {
            sink.Gap(_prevT, firstT);
        }

        if (lastT - firstT < 0 || lastT - firstT > _maxGroupSpan)
        {
            // A group with a hole or a step back inside it cannot be placed; the stream starts again after it.
            _havePrevious = false;
            return;
        }

        _havePrevious = true;
        _prevT = tc;
        _prev = mean;
        _next = CeilingToGrid(tc);
        if (_next == tc)
        {
            sink.Sample(_next, mean);
            _next += _period;
        }
    }

    private long CeilingToGrid(long time)
    {
        var floor = Math.DivRem(time, _period, out var remainder) * _period;
        if (remainder < 0)
        {
            floor -= _period;
        }

        return floor == time ? time : floor + _period;
    }
}

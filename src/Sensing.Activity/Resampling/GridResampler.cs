using Sensing.Signal.Kernels;
using System.Runtime.CompilerServices;
using Sensing.Activity.Features;

namespace Sensing.Activity.Resampling;

/// <summary>
/// Brings a jittered stream at any rate (about 10 to 200 Hz) onto the 12.5 Hz <see cref="WindowGrid"/> and hands
/// complete windows to a sink. The result depends only on the sample sequence, never on how it was cut into blocks.
/// </summary>
/// <remarks>
/// Two stages. (1) Per input sample, the only per-sample work: means of groups of G consecutive samples, G the
/// power of two that brings the input rate nearest above 12.5 Hz (8 at 100 Hz), by the SIMD pair-sum kernel straight
/// from the caller's block; a group's time is the midpoint of its first and last timestamps, which absorbs jitter.
/// The rate, hence G, is measured once from the median spacing of the first 16 samples. (2) Per group: linear
/// interpolation onto the grid. Gaps longer than <see cref="WindowGrid.MaxBridgeMicros"/> are not bridged and the
/// windows they touch are dropped, as is a last window the stream does not cover to its end.
/// </remarks>
internal sealed class GridResampler
{
    private const int ProbeSamples = 16;
    private const int ChunkSamples = 4096;
    private const long TargetGroupMicros = WindowGrid.PeriodMicros;

    private readonly IWindowSink _sink;
    private readonly long[] _probeT = new long[ProbeSamples];
    private readonly float[] _probeX = new float[ProbeSamples];
    private readonly float[] _probeY = new float[ProbeSamples];
    private readonly float[] _probeZ = new float[ProbeSamples];
    private int _probeCount;

    private int _group;
    private long _period;
    private long _maxGroupSpan;
    private float _invGroup;
    private readonly long[] _carryT = new long[64];
    private readonly float[] _carryX = new float[64];
    private readonly float[] _carryY = new float[64];
    private readonly float[] _carryZ = new float[64];
    private int _carryCount;

    private readonly float[] _sumX = new float[ChunkSamples];
    private readonly float[] _sumY = new float[ChunkSamples];
    private readonly float[] _sumZ = new float[ChunkSamples];
    private readonly float[] _scratch = new float[ChunkSamples / 2];

    private bool _havePrevious;
    private long _prevT;
    private float _prevX, _prevY, _prevZ;
    private long _nextK;

    private long _windowIndex = long.MinValue;
    private long _windowStartK = long.MinValue / 2;
    private int _filled;
    private bool _broken;
    private readonly float[] _wx = new float[WindowGrid.WindowSamples];
    private readonly float[] _wy = new float[WindowGrid.WindowSamples];
    private readonly float[] _wz = new float[WindowGrid.WindowSamples];

    public GridResampler(IWindowSink sink) => _sink = sink;

    /// <summary>Samples per group (0 until the rate is measured).</summary>
    public int GroupSize => _group;

    /// <summary>Adds samples; timestamps must not decrease (the recording readers guarantee it).</summary>
    public void Push(ReadOnlySpan<long> t, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        var i = 0;
        if (_group == 0)
        {
            while (i < t.Length && _probeCount < ProbeSamples)
            {
                _probeT[_probeCount] = t[i];
                _probeX[_probeCount] = x[i];
                _probeY[_probeCount] = y[i];
                _probeZ[_probeCount] = z[i];
                _probeCount++;
                i++;
            }

            if (_probeCount < ProbeSamples)
            {
                return;
            }

            StartFromProbe();
        }

        AddSamples(t[i..], x[i..], y[i..], z[i..]);
    }

    /// <summary>Ends the stream: a trailing partial group is still placed; an incomplete last window is dropped.</summary>
    public void Complete()
    {
        if (_group == 0)
        {
            if (_probeCount < 2)
            {
                return;
            }

            StartFromProbe();
        }

        if (_carryCount > 0)
        {
            float sx = 0, sy = 0, sz = 0;
            for (var k = 0; k < _carryCount; k++)
            {
                sx += _carryX[k];
                sy += _carryY[k];
                sz += _carryZ[k];
            }

            var inv = 1f / _carryCount;
            OnGroup(_carryT[0], _carryT[_carryCount - 1], sx * inv, sy * inv, sz * inv);
            _carryCount = 0;
        }
    }

    private void StartFromProbe()
    {
        Span<long> gaps = stackalloc long[ProbeSamples - 1];
        var count = 0;
        for (var k = 1; k < _probeCount; k++)
        {
            var d = _probeT[k] - _probeT[k - 1];
            if (d > 0)
            {
                gaps[count++] = d;
            }
        }

        gaps = gaps[..count];
        gaps.Sort();
        _period = count > 0 ? gaps[count / 2] : 10_000;
        _group = 1;

        // 10 % slack so that 100 Hz with jitter still groups by 8 (80 ms), not 4.
        while (_group < 64 && _group * 2 * _period <= TargetGroupMicros * 11 / 10)
        {
            _group *= 2;
        }

        _invGroup = 1f / _group;
        _maxGroupSpan = ((_group - 1) * _period * 2) + 200_000;
        AddSamples(_probeT.AsSpan(0, _probeCount), _probeX.AsSpan(0, _probeCount), _probeY.AsSpan(0, _probeCount), _probeZ.AsSpan(0, _probeCount));
        _probeCount = 0;
    }

    private void AddSamples(ReadOnlySpan<long> t, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        var g = _group;
        var i = 0;
        if (_carryCount > 0)
        {
            while (_carryCount < g && i < t.Length)
            {
                _carryT[_carryCount] = t[i];
                _carryX[_carryCount] = x[i];
                _carryY[_carryCount] = y[i];
                _carryZ[_carryCount] = z[i];
                _carryCount++;
                i++;
            }

            if (_carryCount < g)
            {
                return;
            }

            // The scalar form of the same pairwise tree: bit-identical to the vector path, so block cuts do not show.
            DecimationDriver.GroupSums(_carryX.AsSpan(0, g), g, _sumX, _scratch, allowVectors: false);
            DecimationDriver.GroupSums(_carryY.AsSpan(0, g), g, _sumY, _scratch, allowVectors: false);
            DecimationDriver.GroupSums(_carryZ.AsSpan(0, g), g, _sumZ, _scratch, allowVectors: false);
            OnGroup(_carryT[0], _carryT[g - 1], _sumX[0] * _invGroup, _sumY[0] * _invGroup, _sumZ[0] * _invGroup);
            _carryCount = 0;
        }

        while (t.Length - i >= g)
        {
            var take = Math.Min((t.Length - i) / g * g, ChunkSamples);
            var groups = ActivityKernels.GroupSums(x.Slice(i, take), g, _sumX, _scratch);
            ActivityKernels.GroupSums(y.Slice(i, take), g, _sumY, _scratch);
            ActivityKernels.GroupSums(z.Slice(i, take), g, _sumZ, _scratch);
            for (var j = 0; j < groups; j++)
            {
                var first = i + (j * g);
                OnGroup(t[first], t[first + g - 1], _sumX[j] * _invGroup, _sumY[j] * _invGroup, _sumZ[j] * _invGroup);
            }

            i += take;
        }

        for (; i < t.Length; i++)
        {
            _carryT[_carryCount] = t[i];
            _carryX[_carryCount] = x[i];
            _carryY[_carryCount] = y[i];
            _carryZ[_carryCount] = z[i];
            _carryCount++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OnGroup(long firstT, long lastT, float gx, float gy, float gz)
    {
        // Timestamps do not decrease, so the span is not negative and halving is a shift.
        var span = lastT - firstT;
        var tc = firstT + (span >> 1);
        if (span > _maxGroupSpan || !_havePrevious || tc - _prevT > WindowGrid.MaxBridgeMicros)
        {
            OnGroupSlow(firstT, lastT, gx, gy, gz);
            return;
        }

        // The hot path: at 100 Hz one group is one grid period, so this places about one point per group.
        var gridT = _nextK * WindowGrid.PeriodMicros;
        if (gridT <= tc)
        {
            var dt = tc - _prevT;
            var inv = dt == 0 ? 0f : 1f / dt;
            do
            {
                if (gridT == tc || dt == 0)
                {
                    Place(_nextK, gx, gy, gz);
                }
                else
                {
                    var w = (gridT - _prevT) * inv;
                    Place(_nextK, _prevX + (w * (gx - _prevX)), _prevY + (w * (gy - _prevY)), _prevZ + (w * (gz - _prevZ)));
                }

                _nextK++;
                gridT += WindowGrid.PeriodMicros;
            }
            while (gridT <= tc);
        }

        _prevT = tc;
        _prevX = gx;
        _prevY = gy;
        _prevZ = gz;
    }

    private void OnGroupSlow(long firstT, long lastT, float gx, float gy, float gz)
    {
        if (lastT - firstT > _maxGroupSpan)
        {
            // The group straddles a gap: its mean belongs to no single time. Leave a hole for the bridge rule.
            return;
        }

        var tc = firstT + ((lastT - firstT) >> 1);
        if (!_havePrevious)
        {
            _nextK = WindowGrid.CeilDiv(tc, WindowGrid.PeriodMicros);
        }
        else if (tc - _prevT > WindowGrid.MaxBridgeMicros)
        {
            // Too long to bridge: the grid points in between are missing, so their windows are not classified.
            var resume = WindowGrid.CeilDiv(tc, WindowGrid.PeriodMicros);
            if (resume > _nextK)
            {
                MarkMissing(_nextK);
                MarkMissing(resume - 1);
                _nextK = resume;
            }
        }

        for (var gridT = _nextK * WindowGrid.PeriodMicros; gridT <= tc; gridT += WindowGrid.PeriodMicros)
        {
            if (gridT == tc || !_havePrevious || tc == _prevT)
            {
                Place(_nextK, gx, gy, gz);
            }
            else
            {
                var w = (float)(gridT - _prevT) / (tc - _prevT);
                Place(_nextK, _prevX + (w * (gx - _prevX)), _prevY + (w * (gy - _prevY)), _prevZ + (w * (gz - _prevZ)));
            }

            _nextK++;
        }

        _havePrevious = true;
        _prevT = tc;
        _prevX = gx;
        _prevY = gy;
        _prevZ = gz;
    }

    private void StartWindowOf(long k)
    {
        var w = WindowGrid.FloorDiv(k, WindowGrid.WindowSamples);
        if (w != _windowIndex)
        {
            _windowIndex = w;
            _windowStartK = w * WindowGrid.WindowSamples;
            _filled = 0;
            _broken = false;
        }
    }

    private void MarkMissing(long k)
    {
        StartWindowOf(k);
        _broken = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(long k, float x, float y, float z)
    {
        var pos = (ulong)(k - _windowStartK);
        if (pos >= WindowGrid.WindowSamples)
        {
            // Only when a new window starts: the one division per window.
            StartWindowOf(k);
            pos = (ulong)(k - _windowStartK);
        }

        _wx[(int)pos] = x;
        _wy[(int)pos] = y;
        _wz[(int)pos] = z;
        _filled++;
        if (pos == WindowGrid.WindowSamples - 1 && _filled == WindowGrid.WindowSamples && !_broken)
        {
            _sink.OnWindow(_windowIndex, _wx, _wy, _wz);
        }
    }
}

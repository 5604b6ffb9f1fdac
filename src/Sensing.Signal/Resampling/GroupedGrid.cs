using Sensing.Core;
using Sensing.Signal.Kernels;

namespace Sensing.Signal.Resampling;

/// <summary>
/// Brings a jittery, gappy 3-channel stream at any rate (10-200 Hz) onto a uniform grid whose points are the multiples
/// of the grid period, so the grid does not depend on where a recording or a block starts. The one front end of the
/// signal pipeline: the step counter and the activity classifier both read its points.
/// </summary>
/// <remarks>
/// <para>Two stages. Per input sample, the only per-sample work: sums of groups of G consecutive samples by the SIMD
/// pair-sum kernel, G the power of two whose span is nearest below the grid period (8 at 100 Hz, 1 at 12.5 Hz); the
/// mean is an anti-alias box filter. A group's time is the midpoint of its first and last timestamps, which absorbs
/// jitter. Per group: linear interpolation onto the grid, about one point per group.</para>
/// <para>A group spanning more than twice its nominal length holds a hole and is left out; a step back in time, or a
/// silence between groups longer than the bridge, is a gap: the sink is told, and nothing is interpolated across it.
/// Groups are formed by position in the stream (a group split across blocks is summed in the same order), so the
/// points depend only on the samples, not on how they were cut into blocks.</para>
/// <para>The group size comes from the nominal rate when the caller knows it, else from the median spacing of the
/// first 16 samples.</para>
/// <para>A wristband's frames come as <see cref="RawSamples"/>: integer group sums of the counts instead of float
/// sums of samples in g, and group times from the period instead of per-sample times; when groups are exactly a grid
/// period apart, their points are one vector interpolation. The same points as the samples in g, bit for bit.</para>
/// </remarks>
internal sealed class GroupedGrid
{
    private const int Chunk = 4096;
    private const int ProbeSamples = 16;

    private readonly long _period;
    private readonly long _bridgeMicros;
    private readonly bool _vectorised;
    private int _group;
    private float _invGroup;
    private long _maxGroupSpan;

    // Samples held back: the probe before the rate is known, then the start of a group a block ended inside.
    private readonly long[] _heldT = new long[64];
    private readonly float[] _heldX = new float[64];
    private readonly float[] _heldY = new float[64];
    private readonly float[] _heldZ = new float[64];
    private int _held;

    // The work arrays of one Push live only during it: one set per thread, not per stream (a gateway holds thousands),
    // and one thread-static lookup per Push (a live frame of a few dozen samples is a Push of its own).
    [ThreadStatic]
    private static Scratch? t_scratch;
    private Scratch _scratch = null!; // this thread's, looked up once per Push

    // Grid points wait to go to the sink as one block (at most Points of them).
    private const int Points = 1024;
    private int _pending;

    private bool _havePrevious;
    private long _prevT;
    private float _prevX, _prevY, _prevZ;
    private long _next; // the next grid point to emit

    /// <param name="nominalRateHz">The input's nominal rate (sets the group size), or null to measure it from the first samples.</param>
    /// <param name="periodMicros">The grid period.</param>
    /// <param name="bridge">Silences up to this long are interpolated across; longer ones are gaps.</param>
    /// <param name="vectorised">False sums the groups with the scalar reference.</param>
    public GroupedGrid(double? nominalRateHz, long periodMicros, TimeSpan bridge, bool vectorised)
    {
        _period = periodMicros;
        _bridgeMicros = (long)(bridge.TotalMilliseconds * 1000);
        _vectorised = vectorised;
        if (nominalRateHz is { } rate)
        {
            SetRate((long)Math.Round(1e6 / rate));
        }
    }

    /// <summary>Samples per group (0 until the rate is known).</summary>
    public int GroupSize => _group;

    /// <summary>The grid period, microseconds.</summary>
    public long PeriodMicros => _period;

    /// <summary>Adds samples (times in microseconds); grid points and gaps go to <paramref name="sink"/>.</summary>
    public void Push<TSink>(ReadOnlySpan<long> time, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ref TSink sink)
        where TSink : struct, IGridSink
    {
        // Points are pending only within a Push (a sink that threw may have left some behind: they are dropped, as the
        // per-thread buffer may since have served another grid).
        BeginPoints();
        var i = 0;
        if (_group == 0)
        {
            i = Hold(time, x, y, z, 0, ProbeSamples);
            if (_held < ProbeSamples)
            {
                return;
            }

            StartFromProbe(ref sink);
        }

        // First complete a group a previous block ended inside, in the same summation order as the vector path.
        if (_held > 0)
        {
            i = Hold(time, x, y, z, i, _group);
            if (_held < _group)
            {
                Flush(ref sink);
                return;
            }

            EmitHeldGroup(ref sink);
        }

        var buffers = Buffers();
        var sumX = buffers.AsSpan(0, Chunk);
        var sumY = buffers.AsSpan(Chunk, Chunk);
        var sumZ = buffers.AsSpan(2 * Chunk, Chunk);
        var scratch = buffers.AsSpan(3 * Chunk, Chunk);
        while (time.Length - i >= _group)
        {
            var take = Math.Min(Chunk, (time.Length - i) / _group * _group);
            var groups = DecimationDriver.GroupSums(x.Slice(i, take), _group, sumX, scratch, _vectorised);
            DecimationDriver.GroupSums(y.Slice(i, take), _group, sumY, scratch, _vectorised);
            DecimationDriver.GroupSums(z.Slice(i, take), _group, sumZ, scratch, _vectorised);
            var t = time.Slice(i, take);
            for (var j = 0; j < groups; j++)
            {
                var first = j * _group;
                OnGroup(t[first], t[first + _group - 1], sumX[j] * _invGroup, sumY[j] * _invGroup, sumZ[j] * _invGroup, ref sink);
            }

            i += take;
        }

        Hold(time, x, y, z, i, _group);
        Flush(ref sink);
    }

    /// <summary>
    /// Adds a run of raw counts at a fixed period. The points are those <see cref="Push{TSink}(ReadOnlySpan{long}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ref TSink)"/>
    /// gives for the same samples in g, bit for bit: with a power-of-two scale, a group's exact integer sum times the
    /// scale is the exact sum of its samples in g. The per-sample work is the integer group sums alone.
    /// </summary>
    public void Push<TSink>(RawSamples samples, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var scale = 1f / samples.CountsPerG;
        if (_group == 0 || !float.IsPow2(scale))
        {
            PushConverted(samples, scale, ref sink);
            return;
        }

        BeginPoints();
        var n = samples.Count;
        var i = 0;
        if (_held > 0)
        {
            i = Hold(samples, scale, 0, _group);
            if (_held < _group)
            {
                Flush(ref sink);
                return;
            }

            EmitHeldGroup(ref sink);
        }

        var sums = _scratch.CountSums ??= new int[3 * Chunk];
        var means = _scratch.Means ??= new float[3 * (Chunk + 1)];
        var scaleOfSum = scale * _invGroup; // a power of two: the products are exact, as the float path's sums are
        var span = (_group - 1) * samples.PeriodMicros;
        var oneGroupAPoint = _group * samples.PeriodMicros == _period && _period <= _bridgeMicros;
        while (n - i >= _group)
        {
            // Group means at [1, groups] of each channel's part; [0] is for the group before, when it is needed.
            var take = Math.Min(Chunk, (n - i) / _group * _group);
            var groups = take / _group;
            var meanX = means.AsSpan(0, groups + 1);
            var meanY = means.AsSpan(Chunk + 1, groups + 1);
            var meanZ = means.AsSpan(2 * (Chunk + 1), groups + 1);
            MeansOf(samples.X.Slice(i, take), samples.Y.Slice(i, take), samples.Z.Slice(i, take), sums, scaleOfSum, meanX[1..], meanY[1..], meanZ[1..]);
            for (var j = 0; j < groups; j++)
            {
                var first = samples.TimeOf(i + (j * _group));
                if (oneGroupAPoint && _havePrevious && first + (span >> 1) - _prevT == _period)
                {
                    (meanX[j], meanY[j], meanZ[j]) = (_prevX, _prevY, _prevZ);
                    EmitContinuing(meanX[j..], meanY[j..], meanZ[j..], ref sink);
                    break;
                }

                OnGroup(first, first + span, meanX[j + 1], meanY[j + 1], meanZ[j + 1], ref sink);
            }

            i += take;
        }

        Hold(samples, scale, i, _group);
        Flush(ref sink);
    }

    /// <summary>Ends the stream: a trailing partial group is placed as a shorter mean.</summary>
    public void Complete<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
    {
        BeginPoints();
        if (_group == 0)
        {
            if (_held < 2)
            {
                return;
            }

            StartFromProbe(ref sink);
        }

        if (_held == 0)
        {
            return;
        }

        float sx = 0, sy = 0, sz = 0;
        for (var k = 0; k < _held; k++)
        {
            sx += _heldX[k];
            sy += _heldY[k];
            sz += _heldZ[k];
        }

        var inv = 1f / _held;
        OnGroup(_heldT[0], _heldT[_held - 1], sx * inv, sy * inv, sz * inv, ref sink);
        _held = 0;
        Flush(ref sink);
    }

    // The three channels' group sums in one pass (see CountGroupSums), then each turned into means in g.
    private void MeansOf(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, Span<int> sums, float scaleOfSum, Span<float> meanX, Span<float> meanY, Span<float> meanZ)
    {
        var groups = x.Length / _group;
        var sumX = sums[..groups];
        var sumY = sums.Slice(Chunk, groups);
        var sumZ = sums.Slice(2 * Chunk, groups);
        if (_vectorised)
        {
            CountGroupSums.Sum(x, y, z, _group, sumX, sumY, sumZ);
        }
        else
        {
            CountGroupSums.SumScalar(x, _group, sumX);
            CountGroupSums.SumScalar(y, _group, sumY);
            CountGroupSums.SumScalar(z, _group, sumZ);
        }

        ScaleSums(sumX, scaleOfSum, meanX);
        ScaleSums(sumY, scaleOfSum, meanY);
        ScaleSums(sumZ, scaleOfSum, meanZ);
    }

    private void ScaleSums(ReadOnlySpan<int> sums, float scale, Span<float> means)
    {
        if (_vectorised)
        {
            SignalKernels.ScaleSums(sums, scale, means);
        }
        else
        {
            SignalKernels.ScaleSumsScalar(sums, scale, means);
        }
    }

    /// <summary>
    /// Groups that each follow the one before by exactly a grid period (a uniform run whose group spans the period):
    /// each brings one grid point, at the same fraction of the way from the group before, so the points are one
    /// vector interpolation of the means shifted by one. <paramref name="x"/>[0] is the mean before the first group.
    /// The same IEEE operations as <see cref="OnGroup"/> point by point.
    /// </summary>
    private void EmitContinuing<TSink>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var count = x.Length - 1;
        var inverse = 1f / _period;
        var w = (_next - _prevT) * inverse;
        for (var done = 0; done < count;)
        {
            if (_pending == Points)
            {
                Flush(ref sink);
            }

            var take = Math.Min(count - done, Points - _pending);
            var points = _scratch.PointValues;
            var (from, to) = (done, done + 1);
            if (_vectorised)
            {
                SignalKernels.Interpolate(x.Slice(from, take), x.Slice(to, take), w, points.AsSpan(_pending, take));
                SignalKernels.Interpolate(y.Slice(from, take), y.Slice(to, take), w, points.AsSpan(Points + _pending, take));
                SignalKernels.Interpolate(z.Slice(from, take), z.Slice(to, take), w, points.AsSpan((2 * Points) + _pending, take));
            }
            else
            {
                for (var k = 0; k < take; k++)
                {
                    points[_pending + k] = SignalKernels.InterpolateScalar(x[from + k], x[to + k], w);
                    points[Points + _pending + k] = SignalKernels.InterpolateScalar(y[from + k], y[to + k], w);
                    points[(2 * Points) + _pending + k] = SignalKernels.InterpolateScalar(z[from + k], z[to + k], w);
                }
            }

            var times = _scratch.PointTimes.AsSpan(_pending, take);
            for (var k = 0; k < take; k++)
            {
                times[k] = _next + (k * _period);
            }

            _pending += take;
            _next += take * _period;
            done += take;
        }

        _prevT += count * _period;
        (_prevX, _prevY, _prevZ) = (x[count], y[count], z[count]);
    }

    // A run whose scale is not a power of two (or before the group size is known) goes through the float path, in g.
    private void PushConverted<TSink>(RawSamples samples, float scale, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var n = samples.Count;
        var scratch = t_scratch ??= new Scratch();
        if (scratch.Converted is null || scratch.ConvertedTimes is null || scratch.Converted.Length < 3 * n)
        {
            scratch.Converted = new float[Math.Max(3 * n, 3 * 256)];
            scratch.ConvertedTimes = new long[scratch.Converted.Length / 3];
        }

        var x = scratch.Converted.AsSpan(0, n);
        var y = scratch.Converted.AsSpan(n, n);
        var z = scratch.Converted.AsSpan(2 * n, n);
        var t = scratch.ConvertedTimes.AsSpan(0, n);
        for (var k = 0; k < n; k++)
        {
            t[k] = samples.TimeOf(k);
            x[k] = samples.X[k] * scale;
            y[k] = samples.Y[k] * scale;
            z[k] = samples.Z[k] * scale;
        }

        Push(t, x, y, z, ref sink);
    }

    private int Hold(RawSamples samples, float scale, int from, int upTo)
    {
        var i = from;
        for (; _held < upTo && i < samples.Count; i++)
        {
            HoldSample(samples.TimeOf(i), samples.X[i] * scale, samples.Y[i] * scale, samples.Z[i] * scale);
        }

        return i;
    }

    // A group a previous block ended inside, now complete: summed by the scalar tree, as the vector path sums.
    private void EmitHeldGroup<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
    {
        // One group of at most 64: its three sums and the tree's 32 partial sums on the stack, not chunk-long buffers.
        var g = _group;
        Span<float> sums = stackalloc float[3];
        Span<float> tree = stackalloc float[32];
        DecimationDriver.GroupSums(_heldX.AsSpan(0, g), g, sums[..1], tree, allowVectors: false);
        DecimationDriver.GroupSums(_heldY.AsSpan(0, g), g, sums[1..2], tree, allowVectors: false);
        DecimationDriver.GroupSums(_heldZ.AsSpan(0, g), g, sums[2..], tree, allowVectors: false);
        OnGroup(_heldT[0], _heldT[g - 1], sums[0] * _invGroup, sums[1] * _invGroup, sums[2] * _invGroup, ref sink);
        _held = 0;
    }

    // Four chunk-long parts: the three channels' sums and the pair-sum tree's scratch.
    private float[] Buffers() => _scratch.Sums ??= new float[4 * Chunk];

    private int Hold(ReadOnlySpan<long> time, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, int from, int upTo)
    {
        var i = from;
        for (; _held < upTo && i < time.Length; i++)
        {
            HoldSample(time[i], x[i], y[i], z[i]);
        }

        return i;
    }

    private void HoldSample(long time, float x, float y, float z)
    {
        _heldT[_held] = time;
        _heldX[_held] = x;
        _heldY[_held] = y;
        _heldZ[_held] = z;
        _held++;
    }

    private void SetRate(long samplePeriodMicros)
    {
        _group = 1;

        // 10 % slack so that 100 Hz with jitter still groups by 8 (80 ms), not 4.
        while (_group < 64 && _group * 2 * samplePeriodMicros <= _period * 11 / 10)
        {
            _group *= 2;
        }

        _invGroup = 1f / _group;
        _maxGroupSpan = (2 * _group * samplePeriodMicros) + 1000;
    }

    private void StartFromProbe<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
    {
        Span<long> spacing = stackalloc long[ProbeSamples];
        var count = 0;
        for (var k = 1; k < _held; k++)
        {
            var d = _heldT[k] - _heldT[k - 1];
            if (d > 0)
            {
                spacing[count++] = d;
            }
        }

        spacing = spacing[..count];
        spacing.Sort();
        SetRate(count > 0 ? spacing[count / 2] : 10_000);

        // Replay the probe as ordinary samples.
        var n = _held;
        _held = 0;
        var t = _heldT.AsSpan(0, n).ToArray();
        var x = _heldX.AsSpan(0, n).ToArray();
        var y = _heldY.AsSpan(0, n).ToArray();
        var z = _heldZ.AsSpan(0, n).ToArray();
        Push(t, x, y, z, ref sink);
    }

    private void OnGroup<TSink>(long firstT, long lastT, float gx, float gy, float gz, ref TSink sink)
        where TSink : struct, IGridSink
    {
        var span = lastT - firstT;
        var tc = firstT + (span >> 1);
        if (span < 0 || span > _maxGroupSpan || !_havePrevious || tc <= _prevT || tc - _prevT > _bridgeMicros)
        {
            Restart(firstT, lastT, tc, gx, gy, gz, ref sink);
            return;
        }

        // Usually one grid point per group; the division is once per group, not per point.
        if (_next <= tc)
        {
            var inverse = 1f / (tc - _prevT);
            do
            {
                var w = (_next - _prevT) * inverse;
                Emit(_next, SignalKernels.InterpolateScalar(_prevX, gx, w), SignalKernels.InterpolateScalar(_prevY, gy, w), SignalKernels.InterpolateScalar(_prevZ, gz, w), ref sink);
                _next += _period;
            }
            while (_next <= tc);
        }

        _prevT = tc;
        _prevX = gx;
        _prevY = gy;
        _prevZ = gz;
    }

    private void Restart<TSink>(long firstT, long lastT, long tc, float gx, float gy, float gz, ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (lastT - firstT < 0 || lastT - firstT > _maxGroupSpan)
        {
            // A group with a hole or a step back inside it belongs to no single time; the stream resumes after it.
            if (_havePrevious)
            {
                Flush(ref sink);
                sink.Gap(_prevT, lastT);
            }

            _havePrevious = false;
            return;
        }

        if (_havePrevious)
        {
            Flush(ref sink);
            sink.Gap(_prevT, tc);
        }

        _havePrevious = true;
        _prevT = tc;
        _prevX = gx;
        _prevY = gy;
        _prevZ = gz;
        _next = CeilingToGrid(tc);
        if (_next == tc)
        {
            Emit(_next, gx, gy, gz, ref sink);
            _next += _period;
        }
    }

    // Grid points are gathered and handed to the sink in blocks: at the end of a Push, before a gap, or when full.
    private void Emit<TSink>(long time, float x, float y, float z, ref TSink sink)
        where TSink : struct, IGridSink
    {
        if (_pending == Points)
        {
            Flush(ref sink);
        }

        var points = _scratch.PointValues;
        _scratch.PointTimes[_pending] = time;
        points[_pending] = x;
        points[Points + _pending] = y;
        points[(2 * Points) + _pending] = z;
        _pending++;
    }

    private void BeginPoints()
    {
        _pending = 0;
        _scratch = t_scratch ??= new Scratch();
    }

    private void Flush<TSink>(ref TSink sink)
        where TSink : struct, IGridSink
    {
        var n = _pending;
        if (n == 0)
        {
            return;
        }

        // Cleared first: the sink may not see its block twice whatever it does.
        _pending = 0;
        var points = _scratch.PointValues;
        sink.Samples(_scratch.PointTimes.AsSpan(0, n), points.AsSpan(0, n), points.AsSpan(Points, n), points.AsSpan(2 * Points, n));
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

    private sealed class Scratch
    {
        public readonly long[] PointTimes = new long[Points];
        public readonly float[] PointValues = new float[3 * Points];
        public float[]? Sums;
        public int[]? CountSums;
        public float[]? Means;
        public float[]? Converted;
        public long[]? ConvertedTimes;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sensing.Signal.Kernels;

namespace Sensing.Signal.Steps;

/// <summary>The per-sample half of the rhythm: each sample clipped, kept, multiplied with the ones before it, and squared.</summary>
/// <remarks>
/// Each of those is a chain through its own state (the clipping level, the products' sums, the energy's running sum),
/// a few cycles of latency per sample and little work. Run as separate passes each chain waits on itself; in one
/// loop the core overlaps them. The fused loop does per element the same operations in the same order as the
/// separate passes, which stay as the general path (any lag count, any vector width) and as the scalar reference.
/// </remarks>
internal sealed partial class RhythmAnalyzer
{
    // Lags whose sums the fused loop keeps in registers: four 8-float vectors. Lags beyond them follow the loop.
    private const int FusedLags = 4 * 8;

    private readonly float _levelDecay; // per sample, of the clipping level's exponential mean
    private readonly float _clipLevels;
    private float _level;               // running mean of |m|, g; 0 at the start of a stretch

    /// <summary>Appends band-passed magnitude samples of the current second (all before <see cref="NextSecondMicros"/>).</summary>
    public void Append(ReadOnlySpan<float> values)
    {
        // Runs short enough for the history's slack (a second at the grid's rate is one run).
        while (values.Length > 0)
        {
            var run = Math.Min(values.Length, RunLength);
            AppendRun(values[..run]);
            values = values[run..];
        }
    }

    private void AppendRun(ReadOnlySpan<float> values)
    {
        if (_end + values.Length > _history.Length)
        {
            Array.Copy(_history, _end - _keep, _history, 0, _keep);
            _end = _keep;
        }

        var start = _end;
        _end += values.Length;

        // Samples whose history reaches back maxLag samples have their products with every lag taken; a stretch's
        // first maxLag samples go into the history and the energy only.
        if (start >= _maxLag && _lags >= FusedLags && _vectorised && KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            AccumulateFused(values, start);
            return;
        }

        var clipper = new Clipper(_level, _levelDecay, _clipLevels);
        for (var k = 0; k < values.Length; k++)
        {
            _history[start + k] = clipper.Follow(values[k]);
        }

        _level = clipper.Level;
        var first = Math.Max(start, _maxLag);
        if (first < _end)
        {
            var source = _history.AsSpan(first - _maxLag, _end - first + _maxLag);
            if (_vectorised)
            {
                SignalKernels.MultiplyAddLagged(source, _maxLag, _current);
            }
            else
            {
                SignalKernels.MultiplyAddLaggedScalar(source, _maxLag, _current);
            }

            _currentCount += _end - first;
        }

        // The energies in locals: the sums are sequential, the stores of the running sum need not wait for them.
        var (energy, current, samples) = (_energy, _currentEnergy, _samples);
        var (cumulative, mask) = (_cumulative, _mask);
        for (var k = 0; k < values.Length; k++)
        {
            var x = _history[start + k];
            var square = (double)x * x;
            if (start + k >= _maxLag)
            {
                current += square;
            }

            energy += square;
            KeepEnergy(cumulative, mask, samples++, energy);
        }

        (_energy, _currentEnergy, _samples) = (energy, current, samples);
    }

    // The running energy sum by sample, in a ring whose slots are written twice (see _cumulative).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KeepEnergy(double[] cumulative, int mask, long sample, double energy)
    {
        var slot = (int)sample & mask;
        cumulative[slot] = energy;
        cumulative[slot + mask + 1] = energy;
    }

    // The passes above in one loop, for samples that all have a full history; the sums of the first FusedLags lags
    // stay in four vector registers (multiply then add, never fused, as MultiplyAddLagged), any further lags follow.
    private void AccumulateFused(ReadOnlySpan<float> values, int start)
    {
        ref var history = ref MemoryMarshal.GetArrayDataReference(_history);
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_current);
        var (s0, s1, s2, s3) = (Vector256.LoadUnsafe(ref sums, 0), Vector256.LoadUnsafe(ref sums, 8), Vector256.LoadUnsafe(ref sums, 16), Vector256.LoadUnsafe(ref sums, 24));
        var clipper = new Clipper(_level, _levelDecay, _clipLevels);
        var (energy, current, samples) = (_energy, _currentEnergy, _samples);
        var (cumulative, mask, maxLag) = (_cumulative, _mask, _maxLag);
        for (var k = 0; k < values.Length; k++)
        {
            var i = start + k;
            var x = clipper.Follow(values[k]);
            Unsafe.Add(ref history, i) = x;
            var v = Vector256.Create(x);
            var back = (nuint)(i - maxLag);
            s0 += v * Vector256.LoadUnsafe(ref history, back);
            s1 += v * Vector256.LoadUnsafe(ref history, back + 8);
            s2 += v * Vector256.LoadUnsafe(ref history, back + 16);
            s3 += v * Vector256.LoadUnsafe(ref history, back + 24);
            var square = (double)x * x;
            current += square;
            energy += square;
            KeepEnergy(cumulative, mask, samples++, energy);
        }

        s0.StoreUnsafe(ref sums, 0);
        s1.StoreUnsafe(ref sums, 8);
        s2.StoreUnsafe(ref sums, 16);
        s3.StoreUnsafe(ref sums, 24);
        (_level, _energy, _currentEnergy, _samples) = (clipper.Level, energy, current, samples);
        _currentCount += values.Length;
        if (_lags > FusedLags)
        {
            // Lag sums FusedLags on, as MultiplyAddLagged of the same samples shifted by as many.
            var source = _history.AsSpan(start - _maxLag + FusedLags, values.Length + _maxLag - FusedLags);
            SignalKernels.MultiplyAddLagged(source, _maxLag - FusedLags, _current.AsSpan(FusedLags));
        }
    }

    // The clipping and its level: an exponential mean written as one fused multiply-add on itself.
    private struct Clipper(float level, float decay, float clip)
    {
        private readonly float _keep = 1 - decay;
        public float Level = level;

        public float Follow(float output)
        {
            var limit = clip * Level;
            var clipped = Level > 0 ? Math.Clamp(output, -limit, limit) : output;
            Level = MathF.FusedMultiplyAdd(_keep, Level, decay * Math.Abs(output));
            return clipped;
        }
    }
}

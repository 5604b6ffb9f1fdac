using Sensing.Signal.Kernels;

namespace Sensing.Signal.Steps;

/// <summary>
/// Normalised autocorrelation of a window of one or more channels, and the search for its first strong peak.
/// r(L) = sum_c sum_t a_c(t) a_c(t+L) / sqrt(E_head(L) E_tail(L)), so r is 1 for a perfectly repeating window
/// whatever its amplitude, and the energies of the overlapping parts normalise each lag on its own.
/// </summary>
internal static class Periodicity
{
    /// <summary>Fills <paramref name="r"/>[L - minLag] for L in [minLag, maxLag] over the given channels.</summary>
    public static void Autocorrelation(ReadOnlySpan<float[]> channels, int length, int minLag, int maxLag, Span<float> r, bool vectorised)
    {
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            float cross = 0, head = 0, tail = 0;
            foreach (var channel in channels)
            {
                var a = channel.AsSpan(0, length - lag);
                var b = channel.AsSpan(lag, length - lag);
                if (vectorised)
                {
                    cross += SignalKernels.Dot(a, b);
                    head += SignalKernels.Dot(a, a);
                    tail += SignalKernels.Dot(b, b);
                }
                else
                {
                    cross += SignalKernels.DotScalar(a, b);
                    head += SignalKernels.DotScalar(a, a);
                    tail += SignalKernels.DotScalar(b, b);
                }
            }

            var norm = MathF.Sqrt(head * tail);
            r[lag - minLag] = norm > 0 ? cross / norm : 0;
        }
    }

    /// <summary>
    /// The first lag (shortest period) whose autocorrelation is a local maximum of at least <paramref name="minimum"/>
    /// and within <paramref name="nearMax"/> of the best peak in range: preferring the shortest strong period keeps a
    /// repeating pattern from being read at twice its period. Refined to a fraction of a lag by a parabola.
    /// </summary>
    /// <returns>The lag in samples (fractional), or 0 when there is no such peak; <paramref name="value"/> its r.</returns>
    public static double FirstStrongPeak(ReadOnlySpan<float> r, int minLag, int fromLag, int toLag, float minimum, float nearMax, out float value)
    {
        value = 0;
        float best = 0;
        for (var lag = Math.Max(fromLag, minLag + 1); lag < toLag && lag - minLag + 1 < r.Length; lag++)
        {
            var i = lag - minLag;
            if (r[i] > r[i - 1] && r[i] >= r[i + 1])
            {
                best = Math.Max(best, r[i]);
            }
        }

        var threshold = Math.Max(minimum, nearMax * best);
        for (var lag = Math.Max(fromLag, minLag + 1); lag < toLag && lag - minLag + 1 < r.Length; lag++)
        {
            var i = lag - minLag;
            if (r[i] > r[i - 1] && r[i] >= r[i + 1] && r[i] >= threshold)
            {
                value = r[i];
                var curvature = r[i - 1] - (2 * r[i]) + r[i + 1];
                var offset = curvature < 0 ? 0.5 * (r[i - 1] - r[i + 1]) / curvature : 0;
                return lag + Math.Clamp(offset, -0.5, 0.5);
            }
        }

        return 0;
    }

    /// <summary>r at a fractional lag, linearly interpolated; 0 outside the computed range.</summary>
    public static float At(ReadOnlySpan<float> r, int minLag, double lag)
    {
        var position = lag - minLag;
        var i = (int)Math.Floor(position);
        if (i < 0 || i + 1 >= r.Length)
        {
            return 0;
        }

        var t = (float)(position - i);
        return r[i] + ((r[i + 1] - r[i]) * t);
    }
}

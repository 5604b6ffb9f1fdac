using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Resampling;

/// <summary>
/// The time grid features are computed on: 12.5 Hz, windows of 10 s (125 points) aligned to multiples of 10 s on
/// the recording's clock, so six windows make a clock minute.
/// </summary>
/// <remarks>
/// Why 10 s and 12.5 Hz: 10 s holds several gait cycles and breaths, enough for a stable dominant frequency and
/// step autocorrelation, and is the CAPTURE-24 convention; 5 s windows halve that and double the per-window cost.
/// 12.5 Hz keeps arm swing and foot-strike harmonics (below about 5 Hz) while cutting per-window work eight-fold
/// from 100 Hz input; the 80 ms group means that produce it are the anti-alias filter.
/// </remarks>
internal static class WindowGrid
{
    public const float RateHz = 12.5f;
    public const long PeriodMicros = 80_000;
    public const int WindowSamples = 125;
    public const long WindowMicros = PeriodMicros * WindowSamples;

    /// <summary>Gaps up to this long between decimated points are bridged by linear interpolation; longer ones drop the windows they touch.</summary>
    public const long MaxBridgeMicros = 1_000_000;

    /// <summary>Index of the window holding time <paramref name="micros"/>.</summary>
    public static long WindowIndex(long micros) => FloorDiv(micros, WindowMicros);

    public static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);

    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    /// <summary>How many of <paramref name="times"/>, from the first, are the grid points <paramref name="first"/>, <paramref name="first"/> + one period, ...</summary>
    /// <remarks>Eight times to a Vector512 compare where there is one: a window's 125 points were a compare and a branch each.</remarks>
    public static int PointsInStep(ReadOnlySpan<long> times, long first)
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref var at = ref MemoryMarshal.GetReference(times);
            var expected = Vector512.Create(first) + (Vector512<long>.Indices * PeriodMicros);
            var stride = Vector512.Create(Vector512<long>.Count * PeriodMicros);
            for (; j + Vector512<long>.Count <= times.Length; j += Vector512<long>.Count)
            {
                var differ = ~Vector512.Equals(Vector512.LoadUnsafe(ref at, (nuint)j), expected).ExtractMostSignificantBits() & 0xFFu;
                if (differ != 0)
                {
                    return j + BitOperations.TrailingZeroCount(differ);
                }

                expected += stride;
            }
        }

        for (; j < times.Length && times[j] == first + (j * PeriodMicros); j++)
        {
        }

        return j;
    }
}

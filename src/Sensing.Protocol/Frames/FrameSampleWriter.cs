using Sensing.Core;
using Sensing.Protocol.Time;

namespace Sensing.Protocol.Frames;

/// <summary>
/// Turns a decoded frame into samples in g with UTC microsecond timestamps (device ticks mapped by
/// <see cref="ClockSync"/>): the gateway's hand-over to the signal pipeline.
/// </summary>
public static class FrameSampleWriter
{
    /// <summary>Appends the frame's samples to <paramref name="block"/>, as many as fit.</summary>
    /// <returns>Samples appended; 0 (nothing appended) when the frame's boot has no clock observation.</returns>
    public static int Append(
        SampleBlock block, in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z,
        ClockSync clock)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(clock);
        if (!clock.TryToUnixMicros(header.BootId, header.Tick, 0, out long first))
        {
            return 0;
        }

        clock.TryToUnixMicros(header.BootId, header.Tick, 1000, out long oneSecond);
        float scale = 1f / FrameFormat.CountsPerG(header.RangeCode);
        double periodUtc = FrameFormat.PeriodMicros(header.RateCode) * ((oneSecond - first) / 1e6);
        int n = Math.Min(header.Count, block.Capacity - block.Count);
        for (int k = 0; k < n; k++)
        {
            block.Add(first + (long)Math.Round(k * periodUtc), x[k] * scale, y[k] * scale, z[k] * scale);
        }

        return n;
    }
}

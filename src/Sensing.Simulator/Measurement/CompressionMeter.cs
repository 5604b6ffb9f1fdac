using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;
using Sensing.Simulator.Link;

namespace Sensing.Simulator.Measurement;

/// <summary>
/// Measures what the protocol's delta compression achieves on a sample source: a <see cref="SimulatedWristband"/>
/// records the source with a gateway connected over the in-memory GATT link and live streaming on, for each MTU;
/// the figures count the bytes of every live notification and of every frame stored in flash. Every notification is
/// decoded and checked against what the band stored, so the figures are for a lossless round trip.
/// </summary>
public static class CompressionMeter
{
    /// <summary>Runs <paramref name="source"/> (a new one per MTU, from the factory) through a band.</summary>
    /// <param name="name">Name of the source in the figures.</param>
    /// <param name="source">Makes the source; called once per MTU, each time from its start.</param>
    /// <param name="rateCode">The band's rate code (README §3.3).</param>
    /// <param name="rangeCode">The band's range code.</param>
    /// <param name="mtus">MTUs of the live streams to measure.</param>
    /// <param name="maxSamples">Stop after this many samples (or when the source ends).</param>
    /// <returns>One figure for the stored frames (Mtu 0), then one per MTU.</returns>
    /// <exception cref="InvalidOperationException">A notification did not decode to what the band stored (a codec bug).</exception>
    public static IReadOnlyList<CompressionFigure> Measure(
        string name, Func<ISampleSource> source, byte rateCode, byte rangeCode, IReadOnlyList<int> mtus, long maxSamples)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mtus);
        var figures = new List<CompressionFigure>();
        CompressionFigure? stored = null;
        foreach (int mtu in mtus)
        {
            var (live, flash) = Run(name, source(), rateCode, rangeCode, mtu, maxSamples);
            if (stored is null)
            {
                stored = flash;
                figures.Add(flash);
            }
            else if (flash != stored)
            {
                throw new InvalidOperationException($"{name}: the stored frames differ between runs ({flash} vs {stored}).");
            }

            figures.Add(live);
        }

        return figures;
    }

    private static (CompressionFigure Live, CompressionFigure Stored) Run(
        string name, ISampleSource source, byte rateCode, byte rangeCode, int mtu, long maxSamples)
    {
        double rate = FrameFormat.RateHz(rateCode);

        // Flash big enough for the whole run (a 244-byte frame holds at least 8 samples), so nothing is overwritten.
        var band = new SimulatedWristband(source, new SimulatedWristbandOptions
        {
            RateCode = rateCode,
            RangeCode = rangeCode,
            StorageSlots = (int)Math.Min(int.MaxValue, (maxSamples / 8) + 16),
        });
        var gateway = new Receiver();
        var link = new InMemoryGattConnector(band).ConnectAsync(gateway, mtu, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        link.SubscribeAsync(WristbandUuids.ControlPoint, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        link.SubscribeAsync(WristbandUuids.MotionData, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        link.WriteAsync(WristbandUuids.ControlPoint, ControlRequests.StartLive(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var step = TimeSpan.FromMilliseconds(100);
        while (!band.SourceExhausted && band.Device.NextIndex < maxSamples)
        {
            band.Advance(step);
        }

        band.FlushStorage();

        // Flash: every stored frame, decoded, is the reference the live samples must equal.
        var ring = band.Device.Ring;
        short[] x = new short[FrameFormat.MaxSamples], y = new short[FrameFormat.MaxSamples], z = new short[FrameFormat.MaxSamples];
        long storedBytes = 0, storedSamples = 0;
        for (uint s = ring.Oldest; s != ring.Next; s++)
        {
            var frame = ring.FrameAt(s);
            if (FrameDecoder.Decode(frame, out var h, x, y, z, out _) != FrameRejectionReason.None)
            {
                throw new InvalidOperationException($"{name}: stored frame {s} does not decode.");
            }

            for (int k = 0; k < h.Count; k++)
            {
                if (!gateway.Matches(h.Sequence + (uint)k, x[k], y[k], z[k]))
                {
                    throw new InvalidOperationException($"{name}: live sample {h.Sequence + k} at MTU {mtu} differs from the stored one.");
                }
            }

            storedBytes += frame.Length;
            storedSamples += h.Count;
        }

        if (gateway.Samples != storedSamples)
        {
            throw new InvalidOperationException($"{name}: {gateway.Samples} live samples at MTU {mtu}, {storedSamples} stored.");
        }

        return (new CompressionFigure(name, rate, mtu, gateway.Samples, gateway.Frames, gateway.Bytes),
                new CompressionFigure(name, rate, 0, storedSamples, ring.Count, storedBytes));
    }

    /// <summary>The gateway end: decodes each notification, keeps the samples by index to compare with flash.</summary>
    private sealed class Receiver : IGattLinkObserver
    {
        private readonly List<(short X, short Y, short Z)> _samples = [];
        private readonly short[] _x = new short[FrameFormat.MaxSamples];
        private readonly short[] _y = new short[FrameFormat.MaxSamples];
        private readonly short[] _z = new short[FrameFormat.MaxSamples];

        public long Samples => _samples.Count;

        public long Frames { get; private set; }

        public long Bytes { get; private set; }

        public bool Matches(uint index, short x, short y, short z) => index < _samples.Count && _samples[(int)index] == (x, y, z);

        public void OnValue(Guid characteristic, ReadOnlySpan<byte> value)
        {
            if (characteristic != WristbandUuids.MotionData)
            {
                return;
            }

            if (FrameDecoder.Decode(value, out var h, _x, _y, _z, out int length) != FrameRejectionReason.None || length != value.Length
                || h.Sequence != _samples.Count)
            {
                throw new InvalidOperationException($"Notification {Frames} is not the next whole frame of the stream.");
            }

            for (int k = 0; k < h.Count; k++)
            {
                _samples.Add((_x[k], _y[k], _z[k]));
            }

            Frames++;
            Bytes += value.Length;
        }

        public void OnMtuChanged(int mtu)
        {
        }

        public void OnDisconnected()
        {
        }
    }
}

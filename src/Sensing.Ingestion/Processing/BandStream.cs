using Sensing.Core;
using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Sessions;
using Sensing.Pipeline;
using Sensing.Protocol.Frames;

namespace Sensing.Ingestion.Processing;

/// <summary>
/// One band's stream as the journal records it, applied in order: samples placed on the band's pipeline clock and
/// pushed through its <see cref="WristbandPipeline"/>, finished minutes handed to an <see cref="IMinuteSink"/>.
/// The live worker applies each record once it is durable; a restart applies the same records read back from the
/// journal, so the pipeline state (and every minute) comes out the same.
/// </summary>
/// <remarks>Not thread-safe: the band's session applies records one at a time.</remarks>
public sealed class BandStream
{
    private const long MinuteMicros = 60_000_000;

    [ThreadStatic]
    private static short[]? t_x;

    [ThreadStatic]
    private static short[]? t_y;

    [ThreadStatic]
    private static short[]? t_z;

    private readonly IMinuteSink _sink;
    private readonly BandTimeline _timeline;
    private readonly Dictionary<long, (double Sum, int Count)> _enmo = [];
    private WristbandPipeline? _pipeline;
    private int _pipelineRateCode = -1;
    private long _completedSteps;
    private long _completedProvisional;

    /// <param name="band">Whose stream.</param>
    /// <param name="sink">Receives finished minutes.</param>
    /// <param name="contiguityTolerance">See <see cref="BandTimeline"/>. Default 5 s: an orderly reset takes about a second, and
    /// two clock fits (old boot, new boot) can disagree by the round trips of their observations.</param>
    public BandStream(BandIdentity band, IMinuteSink sink, TimeSpan? contiguityTolerance = null)
    {
        Band = band ?? throw new ArgumentNullException(nameof(band));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _timeline = new BandTimeline(contiguityTolerance ?? TimeSpan.FromSeconds(5));
    }

    /// <summary>The band.</summary>
    public BandIdentity Band { get; }

    /// <summary>Where the applied stream stands; null before the first contact.</summary>
    public StreamPosition? Position { get; private set; }

    /// <summary>Samples taken in order (placed or not).</summary>
    public long Samples { get; private set; }

    /// <summary>Samples of boots with no clock observation: kept in the journal, not placed (never guessed).</summary>
    public long UnplacedSamples { get; private set; }

    /// <summary>Samples the band no longer had when asked for them.</summary>
    public long LostSamples { get; private set; }

    /// <summary>Minutes handed to the sink.</summary>
    public long Minutes { get; private set; }

    /// <summary>Steps in the minutes handed to the sink.</summary>
    public long StoredSteps { get; private set; }

    /// <summary>The live step figure: stored, open and not yet vetoed steps of every pipeline this band had.</summary>
    public long LiveSteps => _completedProvisional + (_pipeline is null ? 0 : _pipeline.ProvisionalSteps - _pipeline.VetoedSteps);

    /// <summary>Steps of completed pipelines plus the current one's (after the classifier's veto).</summary>
    public long Steps => _completedSteps + (_pipeline?.Steps ?? 0);

    /// <summary>UTC of the latest sample taken, null before any.</summary>
    public DateTimeOffset? LatestSample => _timeline.LastPipelineMicros == long.MinValue
        ? null
        : DateTimeOffset.FromUnixTimeMilliseconds(_timeline.ToUnixMicros(_timeline.LastPipelineMicros) / 1000);

    /// <summary>True while a pipeline holds samples (not completed since the last sample).</summary>
    public bool HasOpenPipeline => _pipeline is not null;

    /// <summary>The clock fit's drift of a boot, ppm.</summary>
    public double DriftPpm(byte boot) => _timeline.DriftPpm(boot);

    /// <summary>Applies one journal record of this band.</summary>
    /// <exception cref="InvalidDataException">The payload is not what its kind needs (a damaged or foreign journal).</exception>
    public void Apply(JournalRecordKind kind, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case JournalRecordKind.Samples:
                ApplySamples(payload);
                break;
            case JournalRecordKind.ClockObservation:
                Need(payload, JournalPayloads.ClockObservationBytes, kind);
                var (boot, tick, unix) = JournalPayloads.ReadClockObservation(payload);
                _timeline.Observe(boot, tick, unix);
                break;
            case JournalRecordKind.LostRange:
                Need(payload, JournalPayloads.LostRangeBytes, kind);
                var lost = JournalPayloads.ReadLostRange(payload);
                if (Position is { } at && at.Boot == lost.Boot && lost.First == at.Next)
                {
                    Position = at with { Next = lost.First + lost.Count };
                    LostSamples += lost.Count;
                }

                break;
            case JournalRecordKind.BootFinished:
                Need(payload, JournalPayloads.PositionBytes, kind);
                var finished = JournalPayloads.ReadPosition(payload);
                Position = new StreamPosition(finished.Boot, finished.Index).NextBoot();
                break;
            case JournalRecordKind.StreamStart:
                Need(payload, JournalPayloads.PositionBytes, kind);
                var start = JournalPayloads.ReadPosition(payload);
                Position = new StreamPosition(start.Boot, start.Index);
                break;
            case JournalRecordKind.StreamCompleted:
                CompletePipeline();
                break;
            default:
                throw new InvalidDataException($"Journal record kind {kind} of band {Band} is not known to this version.");
        }
    }

    /// <summary>Hands on the minutes the pipeline finished (each sample record goes into the pipeline as it is applied).</summary>
    public void Flush() => Drain();

    private static void Need(ReadOnlySpan<byte> payload, int length, JournalRecordKind kind)
    {
        if (payload.Length != length)
        {
            throw new InvalidDataException($"Journal record {kind} has {payload.Length} payload bytes; {length} expected.");
        }
    }

    private void ApplySamples(ReadOnlySpan<byte> payload)
    {
        var x = t_x ??= new short[FrameFormat.MaxSamples];
        var y = t_y ??= new short[FrameFormat.MaxSamples];
        var z = t_z ??= new short[FrameFormat.MaxSamples];
        var reason = FrameDecoder.Decode(payload, out var header, x, y, z, out _);
        if (reason != FrameRejectionReason.None)
        {
            throw new InvalidDataException($"Journal sample record of band {Band} does not decode: {FrameRejection.Message(reason)}.");
        }

        if (Position is not { } at || at.Boot != header.BootId || at.Next != header.Sequence)
        {
            throw new InvalidDataException(
                $"Journal sample record of band {Band} at boot {header.BootId} index {header.Sequence} does not follow the stream ({Position?.ToString() ?? "no position"}).");
        }

        Position = at with { Next = (uint)header.EndSequence };
        Samples += header.Count;
        if (!_timeline.TryPlace(header, out var first, out var period))
        {
            UnplacedSamples += header.Count;
            return;
        }

        if (_pipeline is null || header.RateCode != _pipelineRateCode)
        {
            CompletePipeline();
            _pipeline = new WristbandPipeline(FrameFormat.RateHz(header.RateCode));
            _pipelineRateCode = header.RateCode;
        }

        var countsPerG = FrameFormat.CountsPerG(header.RangeCode);
        var scale = 1f / countsPerG;
        // ENMO per minute: one dictionary update per minute the frame touches, the sums in sample order.
        var n = header.Count;
        for (var k = 0; k < n;)
        {
            var t = first + ((long)k * period);
            var minute = t - (((t % MinuteMicros) + MinuteMicros) % MinuteMicros);
            var end = period > 0 ? (int)Math.Min(n, k + ((minute + MinuteMicros - t + period - 1) / period)) : n;
            var (sum, count) = _enmo.TryGetValue(minute, out var acc) ? acc : (0.0, 0);
            for (; k < end; k++)
            {
                float gx = x[k] * scale, gy = y[k] * scale, gz = z[k] * scale;
                sum += Math.Max(0, MathF.Sqrt((gx * gx) + (gy * gy) + (gz * gz)) - 1);
                count++;
            }

            _enmo[minute] = (sum, count);
        }

        _pipeline.Push(new RawSamples(first, period, countsPerG, x.AsSpan(0, n), y.AsSpan(0, n), z.AsSpan(0, n)));
    }

    private void CompletePipeline()
    {
        if (_pipeline is null)
        {
            return;
        }

        Flush();
        _pipeline.Complete();
        Drain();
        _completedSteps += _pipeline.Steps;
        _completedProvisional += _pipeline.ProvisionalSteps - _pipeline.VetoedSteps;
        _pipeline = null;
        _enmo.Clear();
    }

    private void Drain()
    {
        if (_pipeline is null)
        {
            return;
        }

        while (_pipeline.TryDequeue(out var epoch))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(
                (long)Math.Round(_timeline.ToUnixMicros(epoch.StartMicros) / 1000.0));
            var enmo = _enmo.Remove(epoch.StartMicros, out var acc) && acc.Count > 0 ? 1000 * acc.Sum / acc.Count : 0;
            foreach (var old in _enmo.Keys.Where(k => k < epoch.StartMicros).ToList())
            {
                _enmo.Remove(old);
            }

            Minutes++;
            StoredSteps += epoch.Steps;
            _sink.Add(Band, new MinuteFacts(start, epoch, enmo));
        }
    }
}

using Sensing.Protocol.Frames;
using Sensing.Protocol.Time;

namespace Sensing.Ingestion.Processing;

/// <summary>
/// The two clocks of one band. The <em>pipeline clock</em> is the band's own sample clock: device time (ms since
/// boot, from the frames' ticks) plus a per-boot base, placed on UTC at the start of the stream (its first sample
/// on the nearest whole minute) and carried on seamlessly across a reset whose boots are contiguous in UTC. It never moves when a
/// clock fit is refined, so the signal pipeline sees evenly spaced samples whether they came live, backfilled hours
/// late, or re-read from the journal after a restart. <em>UTC</em>, for everything stored, is the per-boot fit of
/// offset and drift (<see cref="ClockSync"/>), frozen in snapshots keyed by device time so that one stored minute
/// always gets the same timestamp, whenever it is computed.
/// </summary>
/// <remarks>
/// Why not feed the pipeline UTC: the 25 Hz step counter interpolates onto a 25 Hz grid, so its count depends on the
/// samples' phase against that grid. Measured on a simulated day: shifting every sample by 7 ms changes the count by
/// 9 steps, mapping a 100 ppm drift changes it by 416 (of 8,995), and sub-millisecond fit updates by ±1. A refit
/// would move samples; the device's own clock does not. The stream's first sample goes on a whole minute so that the
/// placement does not depend on how precise the first clock observation was (within ±30 s): the band's minutes are
/// then 60 s of its own samples each, stamped with the UTC time of their first sample (by the fit, so generally not on
/// :00 seconds; drift moves them further over a long boot). All state is derived from journal records in order, so
/// it is the same when rebuilt after a restart. Not thread-safe.
/// </remarks>
internal sealed class BandTimeline
{
    private const long MicrosPerMs = 1000;
    private const long MinuteMicros = 60_000_000;
    private readonly ClockSync _clock = new();
    private readonly Dictionary<byte, BootTrack> _boots = [];
    private readonly long _contiguityMicros;
    private BootTrack? _last;

    /// <param name="contiguityTolerance">A new boot whose first sample is this close (in UTC) to where the previous boot's
    /// samples would go on continues the pipeline clock without a break (an orderly reset).</param>
    public BandTimeline(TimeSpan contiguityTolerance) => _contiguityMicros = (long)contiguityTolerance.TotalMicroseconds;

    /// <summary>Pipeline time of the latest sample placed (long.MinValue before the first).</summary>
    public long LastPipelineMicros { get; private set; } = long.MinValue;

    /// <summary>Adds a clock observation (in journal order).</summary>
    public void Observe(byte boot, uint tick, long unixMicros)
    {
        if (_boots.TryGetValue(boot, out var stale) && stale.Base is not null && !ReferenceEquals(stale, _last))
        {
            Forget(boot); // a boot id 256 resets old: its clock is no longer this band's
        }

        _clock.Observe(boot, tick, unixMicros);
        Track(boot).FitVersion++;
    }

    private void Forget(byte boot)
    {
        _clock.Forget(boot);
        _boots.Remove(boot);
    }

    /// <summary>True when the boot has a clock observation, so its samples can be placed.</summary>
    public bool IsAnchored(byte boot) => _clock.IsAnchored(boot);

    /// <summary>Estimated drift of a boot's clock, ppm.</summary>
    public double DriftPpm(byte boot) => _clock.DriftPpm(boot);

    /// <summary>
    /// Places a frame's samples on the pipeline clock: sample k is at <paramref name="firstMicros"/> + k·<paramref name="periodMicros"/>.
    /// </summary>
    /// <returns>False when the boot has no clock observation, or the frame would go back in time (it is not placed).</returns>
    public bool TryPlace(in FrameHeader frame, out long firstMicros, out int periodMicros)
    {
        var track = Track(frame.BootId);
        periodMicros = FrameFormat.PeriodMicros(frame.RateCode);
        firstMicros = 0;
        if (!_clock.IsAnchored(frame.BootId))
        {
            return false;
        }

        var deviceMicros = track.Unwrap(frame.Tick) * MicrosPerMs;
        if (track.Base is not long baseMicros)
        {
            baseMicros = StartBoot(track, frame, deviceMicros);
        }

        firstMicros = baseMicros + deviceMicros;
        var lastMicros = firstMicros + ((long)(frame.Count - 1) * periodMicros);
        if (LastPipelineMicros != long.MinValue && firstMicros <= LastPipelineMicros)
        {
            return false;
        }

        track.Commit(frame.Tick);
        if (track.SnapshotVersion != track.FitVersion)
        {
            track.Snapshots.Add(Snapshot(frame.BootId, frame.Tick, deviceMicros));
            track.SnapshotVersion = track.FitVersion;
            if (track.Snapshots.Count > 64)
            {
                track.Snapshots.RemoveAt(0); // minutes trail the stream by about an hour, never by 64 observations
            }
        }

        track.LastMicros = lastMicros;
        track.LastPeriodMicros = periodMicros;
        LastPipelineMicros = lastMicros;
        _last = track;
        return true;
    }

    /// <summary>The UTC instant (microseconds since 1970) of a pipeline time, by the snapshot that covers it.</summary>
    public long ToUnixMicros(long pipelineMicros)
    {
        BootTrack? covering = null;
        foreach (var track in _boots.Values)
        {
            if (track.Base is not null && track.FirstMicros <= pipelineMicros && (covering is null || track.FirstMicros > covering.FirstMicros))
            {
                covering = track;
            }
        }

        covering ??= _boots.Values.Where(t => t.Base is not null).MinBy(t => t.FirstMicros);
        if (covering is null || covering.Snapshots.Count == 0)
        {
            return pipelineMicros; // nothing placed yet: the pipeline clock started on UTC
        }

        var deviceMicros = pipelineMicros - covering.Base!.Value;
        var snapshot = covering.Snapshots[0];
        foreach (var s in covering.Snapshots)
        {
            if (s.FromDeviceMicros <= deviceMicros)
            {
                snapshot = s;
            }
        }

        return snapshot.Map(deviceMicros);
    }

    private BootTrack Track(byte boot)
    {
        if (!_boots.TryGetValue(boot, out var track))
        {
            track = new BootTrack();
            _boots[boot] = track;
        }

        return track;
    }

    private long StartBoot(BootTrack track, in FrameHeader frame, long deviceMicros)
    {
        var snapshot = Snapshot(frame.BootId, frame.Tick, deviceMicros);
        var utcFirst = snapshot.Map(deviceMicros);
        long first;
        if (_last is { } previous)
        {
            // Where the previous boot's next sample would have gone, in UTC and on the pipeline clock.
            var followOn = previous.LastMicros + previous.LastPeriodMicros;
            var utcFollowOn = ToUnixMicros(previous.LastMicros) + previous.LastPeriodMicros;
            first = Math.Abs(utcFirst - utcFollowOn) <= _contiguityMicros
                ? followOn
                : Math.Max(RoundTo(utcFirst, MinuteMicros), RoundTo(followOn + (MinuteMicros / 2), MinuteMicros));
        }
        else
        {
            first = RoundTo(utcFirst, MinuteMicros);
        }

        track.Base = first - deviceMicros;
        track.FirstMicros = first;
        return track.Base.Value;
    }

    private static long RoundTo(long micros, long unit)
    {
        var floor = micros - (((micros % unit) + unit) % unit);
        return micros - floor >= unit / 2 ? floor + unit : floor;
    }

    private ClockSnapshot Snapshot(byte boot, uint tick, long deviceMicros)
    {
        // Two probes of the fit an hour apart give its offset and slope as they are now.
        _clock.TryToUnixMicros(boot, tick, 0, out var at);
        _clock.TryToUnixMicros(boot, tick, 3_600_000, out var later);
        return new ClockSnapshot(deviceMicros, at, (later - at) / 3.6e9);
    }

    /// <summary>The fit as it was when a stretch of a boot was placed: utc = UnixMicros + (device − FromDeviceMicros)·Slope.</summary>
    private readonly record struct ClockSnapshot(long FromDeviceMicros, long UnixMicros, double Slope)
    {
        public long Map(long deviceMicros) => UnixMicros + (long)Math.Round((deviceMicros - FromDeviceMicros) * Slope);
    }

    private sealed class BootTrack
    {
        private long _latestTick = long.MinValue;

        public long? Base { get; set; }

        public long FirstMicros { get; set; }

        public long LastMicros { get; set; }

        public int LastPeriodMicros { get; set; }

        public int FitVersion { get; set; }

        public int SnapshotVersion { get; set; } = -1;

        public List<ClockSnapshot> Snapshots { get; } = [];

        /// <summary>A u32 ms tick unwrapped to the value nearest the latest placed one (ticks wrap after 49.7 days).</summary>
        public long Unwrap(uint tick) => _latestTick == long.MinValue ? tick : _latestTick + (int)(tick - (uint)_latestTick);

        public void Commit(uint tick) => _latestTick = Unwrap(tick);
    }
}

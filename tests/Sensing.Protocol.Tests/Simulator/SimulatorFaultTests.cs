using System.Globalization;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;
using Sensing.Simulator;
using Sensing.Simulator.Link;
using Sensing.Simulator.Link.Loopback;
using Sensing.Simulator.Motion;
using Sensing.Testing;

namespace Sensing.Protocol.Tests.Simulator;

/// <summary>
/// The simulated wristband and the gateway codec end to end over the GATT link, one test per fault of README §8
/// (and of the simulator's fault list): lost and corrupted notifications, disconnects during live streaming and in
/// the middle of a backfill, a new connection taking over a backfill, BUSY and ABORT_BACKFILL, a reset with
/// unacknowledged data (new boot id, clock back to "unset"), clock drift, storage full (ring overwrite with the gap
/// reported), acknowledged ranges no longer stored, MTU changes mid-stream, unknown opcodes and bad lengths, the
/// loopback socket link with the MTU enforced, and playback of a recording.
/// </summary>
/// <remarks>
/// The band records while the gateway works (every wait advances it), so coverage is checked up to an end fixed after
/// <c>FlushStorage</c> or announced by the device, never up to the moving <c>NextIndex</c>.
/// </remarks>
public sealed class SimulatorFaultTests
{
    private const long Epoch = 1_750_000_000_000_000; // 2025-06-15, the gateway's UTC at power-on

    private static SimulatedWristband Band(MotionKind kind = MotionKind.Walking, double minutes = 30, SimulatedWristbandOptions? options = null)
        => new(new MotionSampleSource(new MotionGenerator([new MotionSegment(kind, TimeSpan.FromMinutes(minutes))], 100, seed: 3)), options);

    private static void Run(SimulatedWristband band, double seconds)
    {
        for (int step = 0; step < (int)Math.Round(seconds * 10); step++)
        {
            band.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>A band that walked for <paramref name="seconds"/> with nobody connected; <paramref name="end"/> is its flushed end.</summary>
    private static SimulatedWristband RecordedAlone(double seconds, out uint end)
    {
        var band = Band(minutes: 20);
        Run(band, seconds);
        band.FlushStorage();
        end = band.Device.NextIndex;
        return band;
    }

    private static long Wall(SimulatedWristband band) => Epoch + (long)band.Elapsed.TotalMicroseconds;

    /// <summary>Every stored sample of every boot in the device's flash, as (boot, index) → x.</summary>
    private static Dictionary<(byte, uint), short> Stored(SimulatedWristband band)
    {
        var all = new Dictionary<(byte, uint), short>();
        short[] x = new short[255], y = new short[255], z = new short[255];
        var ring = band.Device.Ring;
        for (uint s = ring.Oldest; s != ring.Next; s++)
        {
            Assert.Equal(FrameRejectionReason.None, FrameDecoder.Decode(ring.FrameAt(s), out var h, x, y, z, out _));
            for (int k = 0; k < h.Count; k++)
            {
                all[(h.BootId, h.Sequence + (uint)k)] = x[k];
            }
        }

        return all;
    }

    /// <summary>The first index of <paramref name="boot"/> from which nothing has arrived (the resume point after a drop).</summary>
    private static uint FirstMissing(TestGateway gw, byte boot)
    {
        uint i = 0;
        while (gw.Samples.ContainsKey((boot, i)))
        {
            i++;
        }

        return i;
    }

    [Theory]
    [InlineData(23)]
    [InlineData(64)]
    [InlineData(247)]
    public async Task Live_stream_delivers_every_sample_in_frames_that_fit_the_mtu(int mtu)
    {
        var band = Band();
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), mtu, Wall(band));
        Assert.Equal(ControlResult.Success, (await gw.RequestAsync(ControlRequests.StartLive())).Result);
        Run(band, 20);
        band.FlushStorage();
        await gw.DrainAsync();
        Assert.All(gw.NotificationLengths, l => Assert.InRange(l, 20, mtu - 3));
        Assert.Empty(gw.Gaps(1, 0, band.Device.NextIndex));
        Assert.Equal(0, gw.Parser.Statistics.FramesRejected);
        Assert.Equal(0, gw.DuplicateConflicts);
        foreach (var (key, x) in Stored(band))
        {
            Assert.Equal(x, gw.Samples[key]);
        }

        if (mtu == 247)
        {
            // Batching: walking at 100 Hz takes far fewer notifications than samples (InfiniTime's 10 Hz problem).
            Assert.True(gw.NotificationLengths.Count * 20 < band.Device.NextIndex, $"{gw.NotificationLengths.Count} notifications for {band.Device.NextIndex} samples");
        }
    }

    [Fact]
    public async Task Lost_notifications_show_as_gaps_and_cost_only_their_backfill()
    {
        var band = Band();
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        band.NotificationLossProbability = 0.1;
        Run(band, 60);
        band.NotificationLossProbability = 0;
        band.FlushStorage();
        await gw.DrainAsync();
        uint end = band.Device.NextIndex;
        var gaps = gw.Gaps(1, 0, end);
        Assert.NotEmpty(gaps);
        Assert.True(band.NotificationsDropped > 0);
        long historicalBefore = gw.HistoricalSamples;
        uint missing = 0;
        foreach (var (first, gapEnd) in gaps)
        {
            var r = await gw.BackfillAsync(band, 1, first, gapEnd - 1);
            Assert.Equal(ControlResult.Success, r.Result);
            Assert.Equal(first, r.Index);
            Assert.Equal(gapEnd - first, r.Samples);
            Assert.Equal(gapEnd, gw.LastBackfillDone?.Index);
            missing += gapEnd - first;
        }

        Assert.Empty(gw.Gaps(1, 0, end));
        Assert.Equal(0, gw.DuplicateConflicts);

        // Only the missing samples were re-sent (a historical frame never exceeds the asked range).
        Assert.Equal(missing, gw.HistoricalSamples - historicalBefore);

        // ACK frees exactly what was confirmed; what the band recorded during the backfills stays until a later ACK.
        var ack = await gw.RequestAsync(ControlRequests.Ack(1, end));
        Assert.Equal(end, ack.Samples);
        var ring = band.Device.Ring;
        Assert.True(ring.Count == 0 || ring.SeqAt(ring.Oldest) == end, $"oldest stored index {ring.SeqAt(ring.Oldest)}, acknowledged up to {end}");
    }

    [Fact]
    public async Task Corrupted_notifications_are_counted_dropped_and_recovered_by_backfill()
    {
        var band = Band(options: new SimulatedWristbandOptions { Seed = 11 });
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        band.NotificationCorruptionProbability = 0.1;
        Run(band, 60);
        band.NotificationCorruptionProbability = 0;
        Run(band, 2); // clean frames after the last damaged one: a cut-short tail resolves when the next frame comes
        band.FlushStorage();
        await gw.DrainAsync();
        uint end = band.Device.NextIndex;
        Assert.True(band.NotificationsCorrupted > 10, $"{band.NotificationsCorrupted} damaged");

        // Each damaged notification is one corrupt run (runs can merge when two damaged ones are adjacent), dropped by resync.
        Assert.InRange(gw.Parser.Statistics.FramesRejected, 1, band.NotificationsCorrupted);
        Assert.True(gw.Parser.Statistics.BytesSkipped > 0);
        var gaps = gw.Gaps(1, 0, end);
        Assert.NotEmpty(gaps);
        foreach (var (first, gapEnd) in gaps)
        {
            Assert.Equal(ControlResult.Success, (await gw.BackfillAsync(band, 1, first, gapEnd - 1)).Result);
        }

        Assert.Empty(gw.Gaps(1, 0, end));
        Assert.Equal(0, gw.DuplicateConflicts); // no false frame slipped through the resync
        foreach (var (key, x) in Stored(band).Where(k => k.Key.Item2 < end))
        {
            Assert.Equal(x, gw.Samples[key]);
        }
    }

    [Fact]
    public async Task Disconnect_during_live_streaming_then_reconnect_backfills_only_what_was_missed()
    {
        var band = Band();
        var connector = new InMemoryGattConnector(band);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 185, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        Run(band, 10);
        band.Disconnect(); // samples pending for the next live frame stay in the open stored frame
        Assert.False(gw.Link!.IsConnected);
        await gw.CloseAsync();
        uint resume = FirstMissing(gw, 1);
        Run(band, 20); // the band records on, alone
        band.FlushStorage();
        uint end = band.Device.NextIndex;

        await gw.ConnectAsync(connector, 185, Wall(band));
        var status = await gw.ReadStatusAsync();
        Assert.False(status.Flags.HasFlag(DeviceStatusFlags.Live)); // live ended with the connection
        long historicalBefore = gw.HistoricalSamples;
        var r = await gw.BackfillAsync(band, 1, resume, ControlRequests.Since);
        Assert.Equal(ControlResult.Success, r.Result);
        Assert.Equal(resume, r.Index);
        Assert.Equal(end - resume, r.Samples);
        Assert.Equal((byte?)0, gw.LastBackfillDone?.Status);
        Assert.Equal(end, gw.LastBackfillDone?.Index);
        Assert.Empty(gw.Gaps(1, 0, end));
        Assert.Equal(end - resume, gw.HistoricalSamples - historicalBefore);
        Assert.Equal(0, gw.DuplicateConflicts);
    }

    [Fact]
    public async Task Disconnect_in_the_middle_of_a_backfill_then_resume_loses_nothing()
    {
        var band = RecordedAlone(300, out uint end); // five minutes recorded while nobody listened
        var connector = new InMemoryGattConnector(band);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 185, Wall(band));
        int stored = band.Device.Ring.Count;
        band.DisconnectAfterBackfillFrames = 40;
        var first = await gw.BackfillAsync(band, 1, 0, ControlRequests.Since);
        Assert.Equal(ControlResult.Success, first.Result);
        Assert.Equal(end, first.Samples);
        Assert.False(gw.Link!.IsConnected);
        Assert.Null(gw.LastBackfillDone); // the backfill ended with the connection: no BACKFILL_DONE
        Assert.True(band.Device.Ring.Count >= stored); // nothing freed without an ACK (the band kept recording)
        await gw.CloseAsync();
        var gaps = gw.Gaps(1, 0, end);
        Assert.NotEmpty(gaps);
        Assert.Single(gaps); // what arrived is a contiguous prefix: the rest starts at the first missing index

        await using var again = new TestGateway();
        await again.ConnectAsync(connector, 185, Wall(band));
        var resume = await again.BackfillAsync(band, 1, gaps[0].First, ControlRequests.Since);
        Assert.Equal(gaps[0].First, resume.Index);
        Assert.Equal((byte?)0, again.LastBackfillDone?.Status);
        gw.Adopt(again);

        Assert.Empty(gw.Gaps(1, 0, end));
    }

    [Fact]
    public async Task A_new_connection_in_the_middle_of_a_backfill_takes_over_and_resumes()
    {
        var band = RecordedAlone(300, out uint end);
        var connector = new InMemoryGattConnector(band);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 185, Wall(band));
        var r = await gw.RequestAsync(ControlRequests.Backfill(1, 0, ControlRequests.Since));
        Assert.Equal(ControlResult.Success, r.Result);
        band.Advance(TimeSpan.FromMilliseconds(150)); // some 30 historical frames of the ~300 go out
        await gw.DrainAsync();
        Assert.NotEmpty(gw.Samples);

        // The gateway restarts (or a second one wins the band): the peripheral drops the old link for the new one.
        await using var next = new TestGateway();
        await next.ConnectAsync(connector, 185, Wall(band));
        Assert.False(gw.Link!.IsConnected);
        Assert.DoesNotContain(gw.Events, e => e.Event == ControlEventCode.BackfillDone);
        var status = await next.ReadStatusAsync();
        Assert.False(status.Flags.HasFlag(DeviceStatusFlags.BackfillRunning)); // so the next BACKFILL is not BUSY
        uint resume = FirstMissing(gw, 1);
        Assert.InRange(resume, 1u, end - 1);
        var resumed = await next.BackfillAsync(band, 1, resume, ControlRequests.Since);
        Assert.Equal(ControlResult.Success, resumed.Result);
        Assert.Equal(resume, resumed.Index);
        Assert.Equal(end, next.LastBackfillDone?.Index);
        gw.Adopt(next);

        Assert.Empty(gw.Gaps(1, 0, end));
    }

    [Fact]
    public async Task Backfill_while_one_runs_is_busy_and_abort_reports_where_it_stopped()
    {
        var band = RecordedAlone(120, out uint end);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        Assert.Equal(ControlResult.Success, (await gw.RequestAsync(ControlRequests.Backfill(1, 0, ControlRequests.Since))).Result);
        band.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(ControlResult.Busy, (await gw.RequestAsync(ControlRequests.Backfill(1, 0, 10))).Result);
        Assert.Equal(ControlResult.Success, (await gw.RequestAsync(ControlRequests.AbortBackfill())).Result);
        var done = Assert.Single(gw.Events, e => e.Event == ControlEventCode.BackfillDone);
        Assert.Equal(1, done.Status); // aborted
        await gw.DrainAsync();
        Assert.Equal(FirstMissing(gw, 1), done.Index); // one past the last index sent
        Assert.Equal(done.Index, done.Samples);
        Assert.InRange(done.Index, 1u, end - 1);

        // Nothing was freed; the rest comes with the next request.
        var rest = await gw.BackfillAsync(band, 1, done.Index, ControlRequests.Since);
        Assert.Equal(done.Index, rest.Index);
        Assert.Empty(gw.Gaps(1, 0, end));
        Assert.Equal(0, gw.DuplicateConflicts);
    }

    [Fact]
    public async Task Reset_with_unacknowledged_data_keeps_the_old_boot_and_starts_a_new_one()
    {
        var band = Band();
        var connector = new InMemoryGattConnector(band);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 185, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        Run(band, 30);
        await gw.DrainAsync();
        uint oldEnd = band.Device.NextIndex;
        uint oldStoredEnd = Stored(band).Keys.Where(k => k.Item1 == 1).Max(k => k.Item2) + 1;
        band.Reset(); // the open frame in RAM is lost; flash survives; the link drops
        Assert.False(gw.Link!.IsConnected);
        Assert.True(oldStoredEnd <= oldEnd);
        Run(band, 30);
        band.FlushStorage();
        uint newEnd = band.Device.NextIndex;
        await gw.CloseAsync();

        // The same gateway (its per-boot clock fits kept) reconnects; the band's clock is unset again, not 1970 or 2019.
        await using var after = new TestGateway(gw.Clock);
        await after.ConnectAsync(connector, 185, Wall(band), setTime: false);
        var unset = await after.RequestAsync(ControlRequests.ReadClock());
        Assert.Equal(2, unset.BootId);
        Assert.Equal(0ul, unset.WallMicros);
        Assert.False((await after.ReadStatusAsync()).Flags.HasFlag(DeviceStatusFlags.ClockSet));
        await after.SetTimeAsync(Wall(band));
        var clock = await after.RequestAsync(ControlRequests.ReadClock());
        Assert.InRange((long)clock.WallMicros - Wall(band), -1000, 1000);
        var status = await after.ReadStatusAsync();
        Assert.True(status.Flags.HasFlag(DeviceStatusFlags.ClockSet));
        Assert.Equal(1, status.OldestBootId);
        Assert.Equal(0u, status.OldestSequence);

        var r = await after.BackfillAsync(band, 1, 0, ControlRequests.Since);
        Assert.Equal(ControlResult.Success, r.Result);
        Assert.Equal(oldStoredEnd + newEnd, r.Samples);

        // Old boot: everything that reached flash before the reset; new boot: from index 0 to where it was flushed.
        Assert.Empty(after.Gaps(1, 0, oldStoredEnd));
        Assert.False(after.Samples.ContainsKey((1, oldStoredEnd))); // the lost RAM frame is not invented
        Assert.Equal((byte?)2, after.LastBackfillDone?.BootId);
        Assert.Equal(newEnd, after.LastBackfillDone?.Index);
        Assert.Empty(after.Gaps(2, 0, newEnd));

        // Each boot maps to UTC with its own fit: boot 1 from the first connection, boot 2 from this one.
        foreach (var (boot, index) in new (byte, uint)[] { (1, 0), (1, oldStoredEnd - 1), (2, 0), (2, newEnd - 1) })
        {
            double tick = after.Ticks[(boot, index)];
            Assert.True(after.Clock.TryToUnixMicros(boot, (uint)tick, tick - Math.Floor(tick), out long utc));
            long truth = Epoch + (boot == 1 ? 0 : 30_000_000L) + (index * 10_000L);
            Assert.InRange(utc - truth, -2_000, 2_000);
        }

        var ack = await after.RequestAsync(ControlRequests.Ack(2, newEnd));
        Assert.Equal(ControlResult.Success, ack.Result);
        Assert.Equal(oldStoredEnd + newEnd, ack.Samples); // the ACK of boot 2 confirms all of boot 1 too
        Assert.All(Stored(band).Keys, k => Assert.True(k.Item1 == 2 && k.Item2 >= newEnd));
    }

    [Fact]
    public async Task Storage_full_drops_the_oldest_and_reports_the_gap()
    {
        var band = Band(options: new SimulatedWristbandOptions { StorageSlots = 20 });
        Run(band, 120); // ~12000 samples, far more than 20 frames hold
        band.FlushStorage();
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        var status = await gw.ReadStatusAsync();
        Assert.True(status.Flags.HasFlag(DeviceStatusFlags.StorageOverflowed));
        Assert.Equal(100, status.StorageFillPercent);
        Assert.Equal(status.OldestSequence, status.DroppedSamples); // indices 0..oldest-1 are exactly what was dropped
        var notStored = await gw.RequestAsync(ControlRequests.Backfill(1, 0, 99));
        Assert.Equal(ControlResult.RangeNotStored, notStored.Result);
        Assert.Equal(1, notStored.BootId);
        Assert.Equal(status.OldestSequence, notStored.Index);
        var since = await gw.BackfillAsync(band, 1, 0, ControlRequests.Since);
        Assert.Equal(status.OldestSequence, since.Index); // the gap [0, oldest) is reported, never hidden
        Assert.Empty(gw.Gaps(1, since.Index, since.Index + since.Samples));

        // Connected, each overflow is announced as it happens with its exact range, contiguous and oldest first.
        uint droppedBefore = (await gw.ReadStatusAsync()).DroppedSamples;
        int eventsBefore = gw.Events.Count(e => e.Event == ControlEventCode.DataDropped);
        Run(band, 30);
        band.FlushStorage();
        var drops = gw.Events.Where(e => e.Event == ControlEventCode.DataDropped).Skip(eventsBefore).ToList();
        Assert.NotEmpty(drops);
        Assert.All(drops, d => Assert.Equal(1, d.BootId));
        for (int i = 1; i < drops.Count; i++)
        {
            Assert.Equal(drops[i - 1].Index + drops[i - 1].Samples, drops[i].Index);
        }

        var later = await gw.ReadStatusAsync();
        Assert.Equal(later.DroppedSamples - droppedBefore, (uint)drops.Sum(d => d.Samples));
        Assert.Equal(drops[^1].Index + drops[^1].Samples, later.OldestSequence);
    }

    [Fact]
    public async Task Acknowledged_data_is_freed_and_asking_for_it_again_says_range_not_stored()
    {
        var band = RecordedAlone(60, out uint end);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        var ring = band.Device.Ring;
        uint frameStart = ring.SeqAt(ring.Oldest + 10);
        uint straddling = frameStart + 5; // inside the 11th stored frame
        var ack = await gw.RequestAsync(ControlRequests.Ack(1, straddling));
        Assert.Equal(frameStart, ack.Samples); // whole frames only: the ten before it
        Assert.Equal(frameStart, ring.SeqAt(ring.Oldest)); // the straddling frame stays
        Assert.Equal(0u, (await gw.RequestAsync(ControlRequests.Ack(1, straddling))).Samples); // a repeat frees nothing more

        var gone = await gw.RequestAsync(ControlRequests.Backfill(1, 0, 99));
        Assert.Equal(ControlResult.RangeNotStored, gone.Result);
        Assert.Equal(frameStart, gone.Index);
        var later = await gw.BackfillAsync(band, 1, 0, ControlRequests.Since);
        Assert.Equal(frameStart, later.Index); // starts later than asked: the freed range is not silently skipped
        Assert.Empty(gw.Gaps(1, later.Index, end));

        Assert.Equal(end - frameStart, (await gw.RequestAsync(ControlRequests.Ack(1, end))).Samples);
        Assert.Equal(ControlResult.RangeNotStored, (await gw.RequestAsync(ControlRequests.Ack(9, 10))).Result); // unknown boot
    }

    [Fact]
    public async Task Mtu_change_mid_stream_repacks_without_losing_samples()
    {
        var band = Band();
        var connector = new InMemoryGattConnector(band);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 247, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        Run(band, 5);
        band.ChangeMtu(23);
        Assert.Equal(23, gw.Link!.Mtu);
        int before = gw.NotificationLengths.Count;
        Run(band, 5);
        band.ChangeMtu(100);
        Run(band, 5);
        band.FlushStorage();
        await gw.DrainAsync();
        Assert.Equal(2, gw.MtuChanges);
        Assert.Contains(gw.NotificationLengths.Skip(before), l => l == 20);
        Assert.Empty(gw.Gaps(1, 0, band.Device.NextIndex));

        // Stored 244-byte frames are re-split for a small MTU on replay, with the same sample indices.
        uint end = band.Device.NextIndex;
        int lengthsBefore = gw.NotificationLengths.Count;
        await using var replay = new TestGateway();
        await replay.ConnectAsync(connector, 23, Wall(band));
        Assert.False(gw.Link.IsConnected); // the band has one link: the new connection replaced the old one
        await replay.BackfillAsync(band, 1, 0, end - 1);
        Assert.Equal(end, replay.LastBackfillDone?.Index);
        Assert.All(replay.NotificationLengths, l => Assert.Equal(20, l));
        Assert.Empty(replay.Gaps(1, 0, end));
        Assert.All(replay.Samples, s => Assert.Equal(gw.Samples[s.Key], s.Value));
        await Assert.ThrowsAsync<GattLinkException>(async () => await replay.Link!.WriteAsync(WristbandUuids.ControlPoint, new byte[21], CancellationToken.None));
        Assert.Equal(lengthsBefore, gw.NotificationLengths.Count);
    }

    [Fact]
    public async Task Unknown_opcode_and_bad_lengths_are_answered_and_change_nothing()
    {
        var band = Band();
        Run(band, 5);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        var before = await gw.ReadStatusAsync();
        var unknown = await gw.RequestAsync([0x42, 1, 2, 3]);
        Assert.Equal(ControlResult.UnknownOpcode, unknown.Result);
        Assert.Equal((ControlOpcode)0x42, unknown.Opcode);
        var empty = await gw.RequestAsync([]);
        Assert.Equal(ControlResult.InvalidLength, empty.Result);
        var shortAck = await gw.RequestAsync([(byte)ControlOpcode.Ack, 1]);
        Assert.Equal(ControlResult.InvalidLength, shortAck.Result);
        var longStart = await gw.RequestAsync([(byte)ControlOpcode.StartLive, 0]);
        Assert.Equal(ControlResult.InvalidLength, longStart.Result);
        var badSensor = await gw.RequestAsync(ControlRequests.SetSensor(7, 0));
        Assert.Equal(ControlResult.InvalidParameter, badSensor.Result);
        var badRange = await gw.RequestAsync(ControlRequests.Backfill(1, 10, 5));
        Assert.Equal(ControlResult.InvalidParameter, badRange.Result);
        var after = await gw.ReadStatusAsync();
        Assert.Equal(3, band.Device.RateCode);
        Assert.Equal(before with { Tick = after.Tick }, after); // nothing but the clock moved
        Assert.Empty(gw.Events);
    }

    [Fact]
    public async Task Status_is_notified_when_a_flag_changes_and_only_then()
    {
        var band = Band(options: new SimulatedWristbandOptions { StorageSlots = 30 });
        Run(band, 10);
        band.FlushStorage();
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band), subscribeStatus: true);
        DeviceStatusFlags Last() => gw.StatusNotifications.Last().Flags;
        Assert.True(Last().HasFlag(DeviceStatusFlags.ClockSet)); // SET_TIME of the connect
        int count = gw.StatusNotifications.Count;
        Run(band, 1);
        Assert.Equal(count, gw.StatusNotifications.Count); // time passing changes no flag

        await gw.RequestAsync(ControlRequests.StartLive());
        Assert.True(Last().HasFlag(DeviceStatusFlags.Live));
        var r = await gw.BackfillAsync(band, 1, 0, ControlRequests.Since);
        Assert.Equal(ControlResult.Success, r.Result);
        Assert.Contains(gw.StatusNotifications, s => s.Flags.HasFlag(DeviceStatusFlags.BackfillRunning));
        Assert.False(Last().HasFlag(DeviceStatusFlags.BackfillRunning)); // cleared with BACKFILL_DONE
        await gw.RequestAsync(ControlRequests.StopLive());
        Assert.False(Last().HasFlag(DeviceStatusFlags.Live));

        Run(band, 30); // 30 slots fill up: the overflow flag is raised
        Assert.True(Last().HasFlag(DeviceStatusFlags.StorageOverflowed));
        band.FlushStorage();
        await gw.RequestAsync(ControlRequests.Ack(1, band.Device.NextIndex));
        Assert.Equal(DeviceStatusFlags.ClockSet | DeviceStatusFlags.StorageEmpty, Last()); // ACK clears overflow, frees all
        Assert.Equal((await gw.ReadStatusAsync()).Flags, Last());
        for (int i = 1; i < gw.StatusNotifications.Count; i++)
        {
            Assert.NotEqual(gw.StatusNotifications.ElementAt(i - 1).Flags, gw.StatusNotifications.ElementAt(i).Flags);
        }
    }

    [Fact]
    public async Task Clock_drift_is_estimated_and_samples_map_to_true_time()
    {
        var band = Band(MotionKind.Sitting, minutes: 200, options: new SimulatedWristbandOptions { ClockDriftPpm = 80 });
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 185, Wall(band));
        for (int i = 0; i < 12; i++)
        {
            Run(band, 600);
            var c = await gw.RequestAsync(ControlRequests.ReadClock());
            gw.Clock.Observe(c.BootId, c.Tick, Wall(band));
        }

        Assert.InRange(gw.Clock.DriftPpm(1), 75, 85);

        // Two hours at 80 ppm is 576 ms of tick error; after the fit, mapping is within a few ms of true time.
        Assert.True(gw.Clock.TryToUnixMicros(1, band.TickNow, 0, out long mapped));
        Assert.InRange(mapped - Wall(band), -3000, 3000);

        // The oldest sample still stored (about an hour back): its tick maps to when it was really measured.
        band.FlushStorage();
        uint index = band.Device.Ring.SeqAt(band.Device.Ring.Oldest);
        Assert.True(band.Device.NextIndex - index > 300_000, $"oldest stored index {index}");
        var r = await gw.BackfillAsync(band, 1, index, index);
        Assert.Equal(1u, r.Samples);
        double tick = gw.Ticks[(1, index)];
        Assert.True(gw.Clock.TryToUnixMicros(1, (uint)tick, tick - Math.Floor(tick), out long sampleUtc));
        long truth = Epoch + (long)(index * 10_000 / (1 + 80e-6));
        Assert.InRange(sampleUtc - truth, -3000, 3000);
    }

    [Fact]
    public async Task Loopback_socket_link_carries_live_and_backfill_with_the_mtu_enforced()
    {
        var band = Band();
        await using var server = new LoopbackGattServer(band);
        server.Start();
        var connector = new LoopbackGattConnector(server.EndPoint);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(connector, 64, Wall(band));
        Assert.Equal(64, gw.Link!.Mtu);
        Assert.Equal("Simulated Wristband", System.Text.Encoding.UTF8.GetString(await gw.Link.ReadAsync(WristbandUuids.ModelNumber, CancellationToken.None)));
        await gw.RequestAsync(ControlRequests.StartLive());
        band.DropNextNotifications = 3;
        Run(band, 10);
        band.FlushStorage();
        uint end = band.Device.NextIndex;
        await gw.SettleAsync();
        var gaps = gw.Gaps(1, 0, end);
        Assert.NotEmpty(gaps);
        foreach (var (first, gapEnd) in gaps)
        {
            Assert.Equal(ControlResult.Success, (await gw.BackfillAsync(band, 1, first, gapEnd - 1)).Result);
            Assert.Equal(gapEnd, gw.LastBackfillDone?.Index);
        }

        await gw.SettleAsync();
        Assert.Empty(gw.Gaps(1, 0, end));
        Assert.Equal(0, gw.DuplicateConflicts);
        Assert.Equal(0, gw.Parser.Statistics.FramesRejected);
        Assert.All(gw.NotificationLengths, l => Assert.InRange(l, 20, 61));
        var tooLong = await Assert.ThrowsAsync<GattLinkException>(async () => await gw.Link.WriteAsync(WristbandUuids.ControlPoint, new byte[62], CancellationToken.None));
        Assert.Equal(GattError.ValueTooLong, tooLong.Error);

        // The MTU changes mid-stream over the socket too: both ends learn it, the next frames fit it.
        band.ChangeMtu(23);
        for (int i = 0; i < 100 && gw.Link.Mtu != 23; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(23, gw.Link.Mtu);
        int lengthsBefore = gw.NotificationLengths.Count;
        Run(band, 1);
        await gw.SettleAsync();
        Assert.True(gw.NotificationLengths.Count > lengthsBefore);
        Assert.All(gw.NotificationLengths.Skip(lengthsBefore), l => Assert.Equal(20, l));

        band.Disconnect();
        for (int i = 0; i < 100 && gw.Link.IsConnected; i++)
        {
            await Task.Delay(10);
        }

        Assert.False(gw.Link.IsConnected);
    }

    [Fact]
    public async Task A_played_back_recording_arrives_count_for_count()
    {
        using var folder = new TempFolder("sensing-sim");
        var path = folder.File("recording.csv");
        var rng = new Random(5);
        var expected = new List<(short X, short Y, short Z)>();
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("Time (ms),X,Y,Z");
            for (int i = 0; i < 3000; i++)
            {
                // Counts of the ±8 g range (4096 per g), written in g exactly representable in the CSV.
                var s = ((short)rng.Next(-1000, 1000), (short)rng.Next(-1000, 1000), (short)(4096 + rng.Next(-300, 300)));
                expected.Add(s);
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i * 10},{s.Item1 / 4096.0:R},{s.Item2 / 4096.0:R},{s.Item3 / 4096.0:R}"));
            }
        }

        using var source = new RecordingSampleSource(path, new Sensing.Recordings.RecordingOptions { TimeUnit = Sensing.Recordings.TimeUnit.Milliseconds, Units = Sensing.Recordings.AccelerationUnit.G });
        var band = new SimulatedWristband(source);
        await using var gw = new TestGateway();
        await gw.ConnectAsync(new InMemoryGattConnector(band), 247, Wall(band));
        await gw.RequestAsync(ControlRequests.StartLive());
        Run(band, 35);
        Assert.True(band.SourceExhausted);
        band.FlushStorage();
        await gw.DrainAsync();
        Assert.Equal(3000u, band.Device.NextIndex);
        Assert.Empty(gw.Gaps(1, 0, 3000));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].X, gw.Samples[(1, (uint)i)]);
        }

        Assert.All(Stored(band), s => Assert.Equal(expected[(int)s.Key.Item2].X, s.Value));
    }
}

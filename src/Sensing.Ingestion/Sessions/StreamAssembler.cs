using System.Buffers;
using Sensing.Ingestion.Journal;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Turns the frames a band sends — live and historical, lost, repeated, re-split by MTU, interleaved across boots —
/// into its one in-order stream, and says which ranges to backfill. Identity is per sample, <c>(boot id, index)</c>
/// (firmware-protocol §3.2): what is behind the stream's position is a duplicate and dropped; what is ahead is held
/// (bounded) until the gap before it is backfilled, or shed when there is no room, since the band keeps it in flash.
/// </summary>
/// <remarks>
/// <para>Boots are taken in order: a band that reset while the gateway was away still holds the old boot's tail;
/// it is backfilled boot by boot with bounded requests (one boot per request), so the end of each boot is known from
/// the device's answer (<c>RANGE_NOT_STORED</c>, or a <c>BACKFILL_DONE</c> short of the range), never guessed from a
/// frame of the next boot that could have overtaken a lost one.</para>
/// <para>Not thread-safe: the band's session calls it from its frame handler and its control loop under one lock.</para>
/// </remarks>
internal sealed class StreamAssembler
{
    /// <summary>More resets than this between the stream's boot and the device's means the boot id is not plausible.</summary>
    public const int MaxBootsAhead = 16;

    private readonly int _maxHeldSamples;
    private readonly uint _chunk;
    private readonly List<Held> _held = [];
    private readonly Queue<(byte Boot, uint End)> _finished = new(); // late frames of these are duplicates, not foreign
    private int _heldSamples;
    private BackfillRequest? _backfill;
    private long _retryAt;
    private bool _firstContact;
    private bool _probe;
    private BackfillRequest? _probeInFlight;
    private StreamPosition? _probedAt;

    /// <param name="start">The applied position after recovery; null for a band never seen.</param>
    /// <param name="maxHeldSamples">Samples held ahead of a gap at most.</param>
    /// <param name="chunkSamples">Samples asked for per BACKFILL at most.</param>
    public StreamAssembler(StreamPosition? start, int maxHeldSamples, int chunkSamples)
    {
        Position = start;
        _maxHeldSamples = maxHeldSamples;
        _chunk = (uint)chunkSamples;
    }

    /// <summary>Where the accepted stream stands (ahead of what is durable while records are committing).</summary>
    public StreamPosition? Position { get; private set; }

    /// <summary>The device's current boot (from SET_TIME on this connection).</summary>
    public byte? DeviceBoot { get; private set; }

    /// <summary>One past the newest index seen of the device's boot (live frames show how far it is).</summary>
    public uint? DeviceHead { get; private set; }

    /// <summary>The BACKFILL in flight, if any.</summary>
    public BackfillRequest? Backfill => _backfill;

    /// <summary>Samples held ahead of a gap.</summary>
    public int HeldSamples => _heldSamples;

    /// <summary>Samples known to be missing before the device's head (what backfill still has to fetch).</summary>
    public long Behind => Position is { } p && DeviceBoot == p.Boot && DeviceHead is uint head && head > p.Next ? head - p.Next : 0;

    /// <summary>True while a requested probe has not been sent.</summary>
    public bool ProbePending => _probe;

    /// <summary>True when the last probe found nothing stored past the position, and the position has not moved since.</summary>
    public bool ProbeFoundNothing => _probedAt is { } at && at == Position && !_probe && _backfill is null;

    /// <summary>Frames dropped as duplicates.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Frames shed for lack of room (they stay in the band's flash).</summary>
    public long Shed { get; private set; }

    /// <summary>
    /// A connection's SET_TIME named the device's boot. For a band never seen, the stream starts at that boot's index 0
    /// (what is no longer stored of it shows up as lost before first contact).
    /// </summary>
    /// <returns>False when the boot id is not plausible for this stream (more than <see cref="MaxBootsAhead"/> resets
    /// ahead, i.e. an old boot id replayed): the connection must be dropped.</returns>
    public bool Connected(byte deviceBoot, IStreamRecords records)
    {
        _backfill = null;
        if (Position is not { } position)
        {
            records.Start(deviceBoot, 0);
            Position = new StreamPosition(deviceBoot, 0);
            _firstContact = true;
        }
        else if (position.BootsAhead(deviceBoot) > MaxBootsAhead)
        {
            return false;
        }

        if (DeviceBoot != deviceBoot)
        {
            DeviceHead = null;
        }

        DeviceBoot = deviceBoot;
        _retryAt = 0;
        return true;
    }

    /// <summary>The link went down: the device ends a running backfill silently (§8); held frames stay valid.</summary>
    public void Disconnected()
    {
        _backfill = null;
        _probeInFlight = null;
    }

    /// <summary>Takes one decoded frame.</summary>
    public FrameVerdict Accept(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, IStreamRecords records)
    {
        if (Position is not { } position || DeviceBoot is not byte device)
        {
            Shed++;
            return FrameVerdict.Shed;
        }

        var ahead = position.BootsAhead(header.BootId);
        if (ahead > position.BootsAhead(device))
        {
            // A re-sent frame of a boot already finished (still on its way when the device said the boot was done).
            foreach (var (boot, end) in _finished)
            {
                if (boot == header.BootId && header.EndSequence <= end)
                {
                    Duplicates++;
                    return FrameVerdict.Duplicate;
                }
            }

            return FrameVerdict.ForeignBoot;
        }

        if (header.BootId == device && (DeviceHead is not uint head || header.EndSequence > head))
        {
            DeviceHead = (uint)header.EndSequence;
        }

        if (ahead == 0 && header.EndSequence <= position.Next)
        {
            Duplicates++;
            return FrameVerdict.Duplicate;
        }

        if (ahead == 0 && header.Sequence <= position.Next)
        {
            Take(header, x, y, z, records);
            Drain(records);
            return FrameVerdict.Accepted;
        }

        return Hold(header, x, y, z);
    }

    /// <summary>
    /// Asks for one BACKFILL past the stream's position even though nothing is known to be missing: before a quiet band's
    /// pipeline is completed, the device confirms it holds nothing beyond (its last live notifications may have been lost).
    /// </summary>
    public void RequestProbe()
    {
        _probe = true;
        _probedAt = null;
    }

    /// <summary>The range to ask for now, or null (one BACKFILL at a time; retries wait for data to reach flash).</summary>
    public BackfillRequest? NextBackfill(long now)
    {
        if (_backfill is not null || Position is not { } p || DeviceBoot is not byte device || now < _retryAt)
        {
            return null;
        }

        // Up to the first frame held ahead of the gap, or the device's head, a chunk at most.
        var target = _held.Count > 0 && p.BootsAhead(_held[0].Header.BootId) == 0
            ? _held[0].Header.Sequence
            : p.Boot == device ? DeviceHead ?? p.Next + _chunk : p.Next + _chunk;
        var probing = false;
        if (p.Next >= target)
        {
            if (!_probe || p.Boot != device)
            {
                return null;
            }

            target = p.Next + _chunk;
            probing = true;
        }

        var last = (uint)Math.Min((ulong)p.Next + _chunk, target) - 1;
        _backfill = new BackfillRequest(p.Boot, p.Next, Math.Min(last, ControlRequests.Since - 1));
        if (probing)
        {
            _probe = false;
            _probeInFlight = _backfill;
        }

        return _backfill;
    }

    /// <summary>The device answered a BACKFILL.</summary>
    /// <returns>False when the answer breaks the protocol (a result the request cannot have).</returns>
    public bool BackfillAnswered(in ControlMessage response, IStreamRecords records, long now, long retryTicks)
    {
        if (_backfill is not BackfillRequest request || Position is not { } p || p.Boot != request.Boot)
        {
            _backfill = null;
            return true;
        }

        switch (response.Result)
        {
            case ControlResult.Success:
                if (response.BootId != request.Boot || response.Index < request.First || response.Index > request.Last)
                {
                    _backfill = null;
                    return false;
                }

                if (response.Index > p.Next)
                {
                    // The start of the range is no longer stored: the gap is reported, never hidden (§5.2).
                    Lose(p, response.Index - p.Next, records);
                    Drain(records);
                }

                return true;
            case ControlResult.RangeNotStored:
                _backfill = null;
                if (_probeInFlight == request)
                {
                    _probeInFlight = null;
                    _probedAt = Position; // nothing stored past the position
                }

                if (request.Boot != DeviceBoot)
                {
                    FinishBoot(records);
                }
                else if (!response.StorageEmpty && response.BootId == request.Boot && response.Index > p.Next)
                {
                    Lose(p, response.Index - p.Next, records);
                    Drain(records);
                }
                else
                {
                    _retryAt = now + retryTicks; // still in the device's open frame: stored within seconds
                }

                return true;
            case ControlResult.Busy:
                _backfill = null;
                _retryAt = now + retryTicks;
                return true;
            default:
                _backfill = null;
                return false;
        }
    }

    /// <summary>The device indicated BACKFILL_DONE.</summary>
    public void BackfillDone(in ControlMessage done, IStreamRecords records, long now, long retryTicks)
    {
        if (_backfill is not BackfillRequest request)
        {
            return;
        }

        _backfill = null;
        if (_probeInFlight == request)
        {
            _probeInFlight = null;
            if (done.Status == 0 && done.Samples == 0)
            {
                _probedAt = Position;
            }
        }

        if (done.Status != 0 || Position is not { } p || p.Boot != request.Boot || p.Next < done.Index)
        {
            return; // aborted, moved on, or frames lost on the way: the next request asks again from the position
        }

        if (done.Index <= request.Last)
        {
            // The device sent less than asked and we have all of it: that boot has no more (or, for the device's own
            // boot, the rest is not in flash yet).
            if (request.Boot != DeviceBoot)
            {
                FinishBoot(records);
            }
            else
            {
                _retryAt = now + retryTicks;
            }
        }
    }

    private void Take(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, IStreamRecords records)
    {
        var p = Position!.Value;
        var skip = (int)(p.Next - header.Sequence);
        var n = header.Count - skip;
        var trimmed = header with
        {
            Sequence = p.Next,
            Tick = FrameFormat.TickAt(header.Tick, (uint)skip, header.RateCode),
            Count = (byte)n,
        };
        records.Samples(trimmed, x.Slice(skip, n), y.Slice(skip, n), z.Slice(skip, n));
        Position = p with { Next = (uint)header.EndSequence };
    }

    private void Lose(StreamPosition p, uint count, IStreamRecords records)
    {
        records.Lost(p.Boot, p.Next, count, _firstContact ? LossReason.BeforeFirstContact : LossReason.NotStored);
        Position = p with { Next = p.Next + count };
        _firstContact = false;
    }

    private void FinishBoot(IStreamRecords records)
    {
        var p = Position!.Value;
        records.BootFinished(p.Boot, p.Next);
        _finished.Enqueue((p.Boot, p.Next));
        if (_finished.Count > 4)
        {
            _finished.Dequeue();
        }

        Position = p.NextBoot();
        _firstContact = false;
        Drain(records);
    }

    private FrameVerdict Hold(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
    {
        var p = Position!.Value;
        var index = 0;
        while (index < _held.Count && Compare(p, _held[index].Header, header) < 0)
        {
            index++;
        }

        if (index < _held.Count && _held[index].Header.BootId == header.BootId && _held[index].Header.Sequence == header.Sequence)
        {
            Duplicates++;
            return FrameVerdict.Duplicate;
        }

        if (_heldSamples + header.Count > _maxHeldSamples)
        {
            Shed++;
            return FrameVerdict.Shed;
        }

        var samples = ArrayPool<short>.Shared.Rent(3 * header.Count);
        x.CopyTo(samples);
        y.CopyTo(samples.AsSpan(header.Count));
        z.CopyTo(samples.AsSpan(2 * header.Count));
        _held.Insert(index, new Held(header, samples));
        _heldSamples += header.Count;
        return FrameVerdict.Held;
    }

    private void Drain(IStreamRecords records)
    {
        while (_held.Count > 0)
        {
            var p = Position!.Value;
            var first = _held[0];
            if (p.BootsAhead(first.Header.BootId) != 0 || first.Header.Sequence > p.Next)
            {
                return;
            }

            _held.RemoveAt(0);
            _heldSamples -= first.Header.Count;
            if (first.Header.EndSequence > p.Next)
            {
                var n = first.Header.Count;
                Take(first.Header, first.Samples.AsSpan(0, n), first.Samples.AsSpan(n, n), first.Samples.AsSpan(2 * n, n), records);
            }
            else
            {
                Duplicates++;
            }

            ArrayPool<short>.Shared.Return(first.Samples);
        }
    }

    private static int Compare(StreamPosition p, in FrameHeader a, in FrameHeader b)
    {
        var byBoot = p.BootsAhead(a.BootId).CompareTo(p.BootsAhead(b.BootId));
        return byBoot != 0 ? byBoot : a.Sequence.CompareTo(b.Sequence);
    }

    private readonly record struct Held(FrameHeader Header, short[] Samples);
}

using System.Buffers.Binary;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;

namespace Sensing.Simulator.Device;

/// <summary>
/// The device side of protocol v1 as firmware runs it, step for step the C reference
/// (firmware-protocol/reference/src/device.c): samples collect into a stored frame of up to 244 bytes; live frames
/// are packed for the current MTU; the flash ring is freed only by ACK; BACKFILL replays stored frames re-split for
/// the MTU. The vectors in control.json hold the two implementations to the same bytes.
/// </summary>
/// <remarks>Synchronous and not thread-safe: the owner (<see cref="SimulatedWristband"/>) serialises calls.</remarks>
public sealed class WristbandDevice
{
    private const uint SinceMarker = ControlRequests.Since;
    private readonly IDeviceRadio _radio;
    private readonly short[] _ox = new short[FrameFormat.MaxSamples];
    private readonly short[] _oy = new short[FrameFormat.MaxSamples];
    private readonly short[] _oz = new short[FrameFormat.MaxSamples];
    private readonly short[] _sx = new short[FrameFormat.MaxSamples];
    private readonly short[] _sy = new short[FrameFormat.MaxSamples];
    private readonly short[] _sz = new short[FrameFormat.MaxSamples];
    private readonly byte[] _frame = new byte[FrameFormat.MaxFrameBytes];
    private int _openCount;
    private int _openWidth;
    private int _liveFrom;
    private int _liveWidth;
    private uint _openTick;
    private uint _openSeq;
    private ulong _wallAnchorMicros;
    private uint _wallAnchorTick;

    // Backfill cursor, as in the C reference.
    private bool _bfSince;
    private byte _bfBoot;
    private uint _bfSerial;
    private uint _bfNext;
    private uint _bfLast;
    private uint _bfSent;
    private uint _bfStopSerial;
    private byte _bfCurBoot;
    private byte _bfEndBoot;
    private uint _bfEndIndex;

    /// <summary>Creates a device with boot id <paramref name="bootId"/> and a ring of <paramref name="ringSlots"/> frames.</summary>
    public WristbandDevice(IDeviceRadio radio, byte bootId, int ringSlots)
    {
        _radio = radio ?? throw new ArgumentNullException(nameof(radio));
        BootId = bootId;
        Ring = new FlashRing(ringSlots);
    }

    /// <summary>Current boot id.</summary>
    public byte BootId { get; private set; }

    /// <summary>Rate code in use.</summary>
    public byte RateCode { get; private set; } = 3;

    /// <summary>Range code in use.</summary>
    public byte RangeCode { get; private set; } = 2;

    /// <summary>Battery percent reported in Status.</summary>
    public byte Battery { get; set; } = 100;

    /// <summary>Firmware version reported in Status.</summary>
    public (byte Major, byte Minor) Firmware { get; set; } = (1, 0);

    /// <summary>ATT MTU of the connection; 0 while disconnected.</summary>
    public int Mtu { get; private set; }

    /// <summary>Live frames are on.</summary>
    public bool Live { get; private set; }

    /// <summary>SET_TIME was received this boot.</summary>
    public bool ClockSet { get; private set; }

    /// <summary>Samples were dropped since the last ACK.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>A backfill is running.</summary>
    public bool BackfillRunning { get; private set; }

    /// <summary>Index the next sample gets.</summary>
    public uint NextIndex { get; private set; }

    /// <summary>Samples dropped by overflow since boot.</summary>
    public uint DroppedSamples { get; private set; }

    /// <summary>The flash ring.</summary>
    public FlashRing Ring { get; }

    private int LinkLimit => Mtu == 0 || Mtu - 3 > FrameFormat.MaxFrameBytes ? FrameFormat.MaxFrameBytes : Mtu - 3;

    /// <summary>Connection state: 0 = disconnected (ends a backfill silently, frees nothing).</summary>
    public void SetMtu(int mtu)
    {
        if (mtu == 0)
        {
            BackfillRunning = false;
            Live = false;
        }
        else if (mtu < 23)
        {
            mtu = 23;
        }

        Mtu = mtu;
        if (Live && mtu != 0 && _liveFrom < _openCount &&
            FrameFormat.FrameLength(_openCount - _liveFrom, _liveWidth) > LinkLimit)
        {
            FlushLive();
        }
    }

    /// <summary>One sensor sample measured at device tick <paramref name="tick"/>.</summary>
    public void AddSample(short x, short y, short z, uint tick)
    {
        if (_openCount > 0)
        {
            int w = Widen(_openWidth, _openCount - 1, x, y, z);
            if (_openCount == FrameFormat.MaxSamples || FrameFormat.FrameLength(_openCount + 1, w) > FrameFormat.MaxFrameBytes)
            {
                Flush();
            }
            else
            {
                _openWidth = w;
            }
        }

        if (_openCount == 0)
        {
            if (NextIndex == uint.MaxValue)
            {
                Reset(); // indices never wrap within a boot
            }

            _openSeq = NextIndex;
            _openTick = tick;
        }

        if (Live && Mtu != 0 && _liveFrom < _openCount)
        {
            int pending = _openCount - _liveFrom;
            int lw = Widen(_liveWidth, _openCount - 1, x, y, z);
            if (FrameFormat.FrameLength(pending + 1, lw) > LinkLimit)
            {
                SendLive(pending);
            }
            else
            {
                _liveWidth = lw;
            }
        }
        else if (!Live || Mtu == 0)
        {
            _liveFrom = _openCount + 1;
        }

        _ox[_openCount] = x;
        _oy[_openCount] = y;
        _oz[_openCount] = z;
        _openCount++;
        NextIndex++;
    }

    /// <summary>Sends the samples not yet sent live (the one-second latency bound).</summary>
    public void FlushLive()
    {
        if (!Live || Mtu == 0)
        {
            _liveFrom = _openCount;
            return;
        }

        while (_liveFrom < _openCount)
        {
            int n = FrameEncoder.SamplesThatFit(
                _ox.AsSpan(_liveFrom, _openCount - _liveFrom), _oy.AsSpan(_liveFrom, _openCount - _liveFrom),
                _oz.AsSpan(_liveFrom, _openCount - _liveFrom), LinkLimit);
            SendLive(n);
        }
    }

    /// <summary>Closes the open run: sends pending live samples, then stores the run as one frame.</summary>
    public void Flush()
    {
        if (_openCount == 0)
        {
            return;
        }

        FlushLive();
        int length = EncodeOpen(FrameType.Live, 0, _openCount, FrameFormat.MaxFrameBytes);
        _openCount = 0;
        _openWidth = 0;
        _liveFrom = 0;
        _liveWidth = 0;
        if (length > 0)
        {
            Store(_frame.AsSpan(0, length));
        }
    }

    /// <summary>Reset: RAM (the open run) is lost, flash survives; new boot id, indices restart.</summary>
    public void Reset()
    {
        _openCount = 0;
        _openWidth = 0;
        _liveFrom = 0;
        _liveWidth = 0;
        BootId++;
        NextIndex = 0;
        ClockSet = false;
        _wallAnchorMicros = 0;
        Live = false;
        BackfillRunning = false;
        Mtu = 0;
        DroppedSamples = 0;

        // Frames 256 boots old carry the new boot id: drop them so (boot id, index) stays unique.
        while (Ring.Count > 0 && Ring.BootAt(Ring.Oldest) == BootId)
        {
            DroppedSamples += (uint)Ring.CountAt(Ring.Oldest);
            Overflowed = true;
            Ring.Pop();
        }
    }

    /// <summary>The Status value at device tick <paramref name="tickNow"/>.</summary>
    public DeviceStatus Status(uint tickNow)
    {
        int count = Ring.Count;
        var flags = (ClockSet ? DeviceStatusFlags.ClockSet : 0) | (Live ? DeviceStatusFlags.Live : 0)
            | (BackfillRunning ? DeviceStatusFlags.BackfillRunning : 0) | (Overflowed ? DeviceStatusFlags.StorageOverflowed : 0)
            | (count == 0 ? DeviceStatusFlags.StorageEmpty : 0);
        bool empty = count == 0;
        return new DeviceStatus(
            1, Firmware.Major, Firmware.Minor, Battery, flags, BootId, tickNow, RateCode, RangeCode,
            (byte)(count * 100 / Ring.Capacity),
            empty ? (byte)0xFF : Ring.BootAt(Ring.Oldest),
            empty ? uint.MaxValue : Ring.SeqAt(Ring.Oldest),
            Math.Min(DroppedSamples, 0xFFFFFFu));
    }

    /// <summary>Handles one Control Point write; the response (and any event) goes out as indications.</summary>
    public void Control(ReadOnlySpan<byte> request, uint tickNow)
    {
        Span<byte> resp = stackalloc byte[20];
        resp.Clear();
        resp[0] = ControlMessage.ResponseMarker;
        resp[1] = request.Length > 0 ? request[0] : (byte)0;
        int respLength = 3;
        var result = ControlResult.Success;
        bool abortRunning = false;
        var op = request.Length > 0 ? (ControlOpcode)request[0] : ControlOpcode.None;
        int expected = ControlRequests.ParameterLength(op);
        if (request.Length == 0)
        {
            result = ControlResult.InvalidLength;
        }
        else if (expected < 0)
        {
            result = ControlResult.UnknownOpcode;
        }
        else if (request.Length != expected + 1)
        {
            result = ControlResult.InvalidLength;
        }
        else
        {
            var p = request[1..];
            switch (op)
            {
                case ControlOpcode.SetTime:
                    _wallAnchorMicros = BinaryPrimitives.ReadUInt64LittleEndian(p);
                    _wallAnchorTick = tickNow;
                    ClockSet = true;
                    resp[3] = BootId;
                    BinaryPrimitives.WriteUInt32LittleEndian(resp[4..], tickNow);
                    respLength += 5;
                    break;
                case ControlOpcode.ReadClock:
                    resp[3] = BootId;
                    BinaryPrimitives.WriteUInt32LittleEndian(resp[4..], tickNow);
                    BinaryPrimitives.WriteUInt64LittleEndian(
                        resp[8..], ClockSet ? _wallAnchorMicros + ((ulong)(tickNow - _wallAnchorTick) * 1000) : 0);
                    respLength += 13;
                    break;
                case ControlOpcode.StartLive:
                    if (!Live)
                    {
                        Live = true;
                        _liveFrom = _openCount;
                        _liveWidth = 0;
                    }

                    break;
                case ControlOpcode.StopLive:
                    FlushLive();
                    Live = false;
                    break;
                case ControlOpcode.SetSensor:
                    if (p[0] > 5 || p[1] > 3)
                    {
                        result = ControlResult.InvalidParameter;
                    }
                    else
                    {
                        Flush();
                        RateCode = p[0];
                        RangeCode = p[1];
                    }

                    break;
                case ControlOpcode.Backfill:
                    result = StartBackfill(p, resp, ref respLength);
                    break;
                case ControlOpcode.AbortBackfill:
                    abortRunning = BackfillRunning;
                    break;
                case ControlOpcode.Ack:
                    result = Acknowledge(p, resp, ref respLength);
                    break;
            }
        }

        resp[2] = (byte)result;
        if (result is not (ControlResult.Success or ControlResult.RangeNotStored))
        {
            respLength = 3;
        }

        SendEvent(resp[..respLength]);
        if (abortRunning)
        {
            FinishBackfill(1);
        }
    }

    /// <summary>Sends at most one historical frame (or the closing BACKFILL_DONE).</summary>
    /// <returns>True if something was sent; false when no backfill is running or the link is down.</returns>
    public bool PumpBackfill()
    {
        if (!BackfillRunning || Mtu == 0)
        {
            return false;
        }

        while (true)
        {
            if ((int)(_bfSerial - Ring.Oldest) < 0)
            {
                _bfSerial = Ring.Oldest; // freed under the cursor by overflow; DATA_DROPPED reported it
            }

            if ((int)(_bfSerial - _bfStopSerial) >= 0 || !Ring.Contains(_bfSerial))
            {
                break;
            }

            byte boot = Ring.BootAt(_bfSerial);
            uint seq = Ring.SeqAt(_bfSerial);
            int count = Ring.CountAt(_bfSerial);
            if (!_bfSince && boot != _bfBoot)
            {
                break;
            }

            uint begin = boot == _bfCurBoot && _bfNext > seq ? _bfNext : seq;
            uint slotLast = seq + (uint)count - 1;
            uint last = !_bfSince && _bfLast < slotLast ? _bfLast : slotLast;
            if (begin > last || begin - seq >= (uint)count)
            {
                _bfSerial++;
                continue;
            }

            if (FrameDecoder.Decode(Ring.FrameAt(_bfSerial), out var header, _sx, _sy, _sz, out _) != FrameRejectionReason.None)
            {
                _bfSerial++; // flash corruption: skip; the gateway sees the gap and re-requests
                continue;
            }

            int offset = (int)(begin - seq);
            int available = (int)(last - begin + 1);
            int n = FrameEncoder.SamplesThatFit(
                _sx.AsSpan(offset, available), _sy.AsSpan(offset, available), _sz.AsSpan(offset, available), LinkLimit);
            int length = FrameEncoder.Encode(
                FrameType.Historical, header.RateCode, header.RangeCode, header.BootId, begin,
                FrameFormat.TickAt(header.Tick, (uint)offset, header.RateCode),
                _sx.AsSpan(offset, n), _sy.AsSpan(offset, n), _sz.AsSpan(offset, n), _frame.AsSpan(0, LinkLimit));
            _radio.Notify(_frame.AsSpan(0, length));
            _bfCurBoot = boot;
            _bfNext = begin + (uint)n;
            _bfSent += (uint)n;
            _bfEndBoot = boot;
            _bfEndIndex = begin + (uint)n;
            if (begin + (uint)n > last)
            {
                _bfSerial++;
            }

            return true;
        }

        FinishBackfill(0);
        return true;
    }

    private int Widen(int w, int last, short x, short y, short z)
        => Math.Max(w, Math.Max(
            FrameFormat.DeltaWidth((short)(x - _ox[last])),
            Math.Max(FrameFormat.DeltaWidth((short)(y - _oy[last])), FrameFormat.DeltaWidth((short)(z - _oz[last])))));

    private int EncodeOpen(FrameType type, int offset, int n, int limit)
        => FrameEncoder.Encode(
            type, RateCode, RangeCode, BootId, _openSeq + (uint)offset,
            FrameFormat.TickAt(_openTick, (uint)offset, RateCode),
            _ox.AsSpan(offset, n), _oy.AsSpan(offset, n), _oz.AsSpan(offset, n), _frame.AsSpan(0, limit));

    private void SendLive(int n)
    {
        int length = EncodeOpen(FrameType.Live, _liveFrom, n, LinkLimit);
        if (length > 0)
        {
            _radio.Notify(_frame.AsSpan(0, length));
        }

        _liveFrom += n;
        _liveWidth = 0;
    }

    private void SendEvent(ReadOnlySpan<byte> value)
    {
        if (Mtu != 0)
        {
            _radio.Indicate(value);
        }
    }

    private void Store(ReadOnlySpan<byte> frame)
    {
        var dropped = Ring.Push(frame);
        if (dropped.Count == 0)
        {
            return;
        }

        // Storage full: newest data wins, and the loss is reported, never hidden.
        Overflowed = true;
        DroppedSamples += (uint)dropped.Count;
        Span<byte> ev = stackalloc byte[11];
        ev[0] = ControlMessage.EventMarker;
        ev[1] = (byte)ControlEventCode.DataDropped;
        ev[2] = dropped.Boot;
        BinaryPrimitives.WriteUInt32LittleEndian(ev[3..], dropped.Seq);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[7..], (uint)dropped.Count);
        SendEvent(ev);
    }

    private bool FindBoot(byte boot, out uint first, out uint end)
    {
        first = end = 0;
        bool found = false;
        for (uint s = Ring.Oldest; s != Ring.Next; s++)
        {
            if (Ring.BootAt(s) == boot)
            {
                if (!found)
                {
                    first = s;
                }

                end = s + 1;
                found = true;
            }
            else if (found)
            {
                break;
            }
        }

        return found;
    }

    private void WriteOldest(Span<byte> resp, ref int respLength)
    {
        bool empty = Ring.Count == 0;
        resp[3] = empty ? (byte)0xFF : Ring.BootAt(Ring.Oldest);
        BinaryPrimitives.WriteUInt32LittleEndian(resp[4..], empty ? uint.MaxValue : Ring.SeqAt(Ring.Oldest));
        respLength += 5;
    }

    private static uint Overlap(uint seq, int count, uint first, uint last, out uint begin)
    {
        uint end = seq + (uint)count - 1;
        begin = Math.Max(seq, first);
        uint e = Math.Min(end, last);
        return begin > e ? 0 : e - begin + 1;
    }

    private ControlResult StartBackfill(ReadOnlySpan<byte> p, Span<byte> resp, ref int respLength)
    {
        byte boot = p[0];
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]);
        uint last = BinaryPrimitives.ReadUInt32LittleEndian(p[5..]);
        bool since = last == SinceMarker;
        if (!since && first > last)
        {
            return ControlResult.InvalidParameter;
        }

        if (BackfillRunning)
        {
            return ControlResult.Busy;
        }

        uint samples = 0, startSerial = Ring.Next, startIndex = first;
        byte startBoot = boot;
        bool stored = FindBoot(boot, out uint bootFirst, out uint bootEnd);
        if (!stored && !since)
        {
            WriteOldest(resp, ref respLength);
            return ControlResult.RangeNotStored;
        }

        if (!stored)
        {
            bootFirst = bootEnd = Ring.Oldest; // the whole boot is gone: replay from the oldest
        }

        for (uint s = bootFirst; s != bootEnd; s++)
        {
            uint n = Overlap(Ring.SeqAt(s), Ring.CountAt(s), first, since ? uint.MaxValue : last, out uint begin);
            if (n != 0 && samples == 0)
            {
                startSerial = s;
                startIndex = begin;
            }

            samples += n;
        }

        if (since)
        {
            for (uint s = bootEnd; s != Ring.Next; s++)
            {
                if (samples == 0)
                {
                    startSerial = s;
                    startIndex = Ring.SeqAt(s);
                    startBoot = Ring.BootAt(s);
                }

                samples += (uint)Ring.CountAt(s);
            }
        }

        if (samples == 0 && !since)
        {
            WriteOldest(resp, ref respLength);
            return ControlResult.RangeNotStored;
        }

        BackfillRunning = true;
        _bfSince = since;
        _bfBoot = boot;
        _bfSerial = startSerial;
        _bfCurBoot = startBoot;
        _bfNext = startIndex;
        _bfLast = last;
        _bfSent = 0;
        _bfStopSerial = since ? Ring.Next : bootEnd;
        _bfEndBoot = startBoot;
        _bfEndIndex = startIndex;
        resp[3] = startBoot;
        BinaryPrimitives.WriteUInt32LittleEndian(resp[4..], startIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(resp[8..], samples);
        respLength += 9;
        return ControlResult.Success;
    }

    private void FinishBackfill(byte status)
    {
        BackfillRunning = false;
        Span<byte> ev = stackalloc byte[12];
        ev[0] = ControlMessage.EventMarker;
        ev[1] = (byte)ControlEventCode.BackfillDone;
        ev[2] = status;
        ev[3] = _bfEndBoot;
        BinaryPrimitives.WriteUInt32LittleEndian(ev[4..], _bfEndIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[8..], _bfSent);
        SendEvent(ev);
    }

    private ControlResult Acknowledge(ReadOnlySpan<byte> p, Span<byte> resp, ref int respLength)
    {
        byte boot = p[0];
        uint end = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]);
        if (!FindBoot(boot, out _, out uint bootEnd))
        {
            WriteOldest(resp, ref respLength);
            return ControlResult.RangeNotStored;
        }

        uint freed = 0;
        while (Ring.Count > 0 && Ring.Oldest != bootEnd)
        {
            // Earlier boots are wholly confirmed; within the boot only frames that end at or before `end`.
            if (Ring.BootAt(Ring.Oldest) == boot && (ulong)Ring.SeqAt(Ring.Oldest) + (ulong)Ring.CountAt(Ring.Oldest) > end)
            {
                break;
            }

            freed += (uint)Ring.CountAt(Ring.Oldest);
            Ring.Pop();
        }

        Overflowed = false;
        BinaryPrimitives.WriteUInt32LittleEndian(resp[3..], freed);
        respLength += 4;
        return ControlResult.Success;
    }
}

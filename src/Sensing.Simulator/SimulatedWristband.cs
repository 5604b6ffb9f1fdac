using System.Text;
using Sensing.Core;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;
using Sensing.Simulator.Device;
using Sensing.Simulator.Link;

namespace Sensing.Simulator;

/// <summary>
/// A simulated wristband: a <see cref="WristbandDevice"/> (the spec's device side) fed by a sensor
/// (<see cref="ISampleSource"/>: generated motion or a recording) on a drifting device clock, exposed as a GATT
/// peripheral (<see cref="IGattPeripheral"/>) for the in-memory or loopback socket link, with faults to inject:
/// lost or corrupted notifications, disconnects (also mid-backfill), resets, clock drift, a small storage, MTU changes.
/// Status is notified when one of its flags changes (README §4).
/// </summary>
/// <remarks>
/// Time only moves when <see cref="Advance"/> is called (tests step it; <see cref="RunAsync"/> steps it from a
/// <see cref="TimeProvider"/>). Thread-safe: one lock serialises the device; values reach the central's observer
/// while it is held, so observers must only queue them.
/// </remarks>
public sealed class SimulatedWristband : IGattPeripheral
{
    private static readonly byte[] Manufacturer = Encoding.UTF8.GetBytes("Sensing");
    private static readonly byte[] Model = Encoding.UTF8.GetBytes("Simulated Wristband");
    private static readonly byte[] FirmwareRevision = Encoding.UTF8.GetBytes("1.0 (protocol 1)");
    private readonly Lock _gate = new();
    private readonly ISampleSource _source;
    private readonly SimulatedWristbandOptions _options;
    private readonly SampleBlock _block = new(1024);
    private readonly Random _loss;
    private readonly byte[] _corrupt = new byte[FrameFormat.MaxFrameBytes];
    private readonly byte[] _serial;
    private IGattPeripheralLink? _link;
    private bool _dataSubscribed;
    private bool _controlSubscribed;
    private bool _statusSubscribed;
    private int _blockPos;
    private bool _sourceDone;
    private long _trueMicros;
    private long _bootTrueMicros;
    private double _nextSampleDeviceMicros;
    private double _lastLiveFlushDeviceMicros;
    private double _backfillCredit;
    private bool _disconnectPending;
    private readonly byte[] _statusValue = new byte[Sensing.Protocol.Control.DeviceStatus.Length];
    private Sensing.Protocol.Control.DeviceStatusFlags? _notifiedFlags;

    /// <summary>Creates a wristband measuring <paramref name="source"/>.</summary>
    public SimulatedWristband(ISampleSource source, SimulatedWristbandOptions? options = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? new SimulatedWristbandOptions();
        _loss = new Random(_options.Seed);
        _serial = Encoding.UTF8.GetBytes($"SIM-{_options.Seed:D6}");
        Device = new WristbandDevice(new Radio(this), _options.BootId, _options.StorageSlots);
        if (_options.RateCode != Device.RateCode || _options.RangeCode != Device.RangeCode)
        {
            Device.Control([0x05, _options.RateCode, _options.RangeCode], 0);
        }

        ClockDriftPpm = _options.ClockDriftPpm;
        Characteristics =
        [
            new(WristbandUuids.MotionService, WristbandUuids.MotionData, GattProperties.Notify),
            new(WristbandUuids.MotionService, WristbandUuids.ControlPoint, GattProperties.Write | GattProperties.Indicate),
            new(WristbandUuids.MotionService, WristbandUuids.Status, GattProperties.Read | GattProperties.Notify),
            new(WristbandUuids.BatteryService, WristbandUuids.BatteryLevel, GattProperties.Read | GattProperties.Notify),
            new(WristbandUuids.DeviceInformation, WristbandUuids.ManufacturerName, GattProperties.Read),
            new(WristbandUuids.DeviceInformation, WristbandUuids.ModelNumber, GattProperties.Read),
            new(WristbandUuids.DeviceInformation, WristbandUuids.SerialNumber, GattProperties.Read),
            new(WristbandUuids.DeviceInformation, WristbandUuids.FirmwareRevision, GattProperties.Read),
        ];
    }

    /// <summary>The device core (inspect state in tests; do not call it while the simulator runs).</summary>
    public WristbandDevice Device { get; }

    /// <inheritdoc />
    public IReadOnlyList<GattCharacteristicInfo> Characteristics { get; }

    /// <summary>Clock drift of the device oscillator in ppm; may be changed at any time.</summary>
    public double ClockDriftPpm { get; set; }

    /// <summary>True time elapsed since power-on.</summary>
    public TimeSpan Elapsed => TimeSpan.FromMicroseconds(Interlocked.Read(ref _trueMicros));

    /// <summary>Samples the sensor has produced (all boots).</summary>
    public long SamplesMeasured { get; private set; }

    /// <summary>True when the sensor source is exhausted.</summary>
    public bool SourceExhausted => _sourceDone;

    /// <summary>Live and historical notifications the device sent that the fault injector dropped.</summary>
    public long NotificationsDropped { get; private set; }

    /// <summary>Fault: drop the next N Motion Data notifications (the device believes they were sent).</summary>
    public int DropNextNotifications { get; set; }

    /// <summary>Fault: probability 0..1 that any Motion Data notification is lost.</summary>
    public double NotificationLossProbability { get; set; }

    /// <summary>
    /// Fault: probability 0..1 that a Motion Data notification arrives damaged: 1 to 3 flipped bits, or cut short
    /// (what a gateway's notification pipe sees when a transport mangles or truncates a value).
    /// </summary>
    public double NotificationCorruptionProbability { get; set; }

    /// <summary>Notifications the fault injector damaged (they were delivered).</summary>
    public long NotificationsCorrupted { get; private set; }

    /// <summary>Fault: disconnect after this many more historical frames (0 = off).</summary>
    public int DisconnectAfterBackfillFrames { get; set; }

    /// <summary>True while a central is connected.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _link is not null;
            }
        }
    }

    /// <summary>The current device tick (ms since boot, by the drifting device clock).</summary>
    public uint TickNow
    {
        get
        {
            lock (_gate)
            {
                return (uint)(long)(DeviceMicrosNow() / 1000);
            }
        }
    }

    /// <summary>Moves true time forward: the sensor samples, frames are stored and sent, backfill frames flow.</summary>
    /// <exception cref="ArgumentOutOfRangeException">elapsed is negative.</exception>
    public void Advance(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        IGattPeripheralLink? drop = null;
        lock (_gate)
        {
            _trueMicros += (long)elapsed.TotalMicroseconds;
            double deviceNow = DeviceMicrosNow();
            double period = FrameFormat.PeriodMicros(Device.RateCode);
            int countsPerG = FrameFormat.CountsPerG(Device.RangeCode);
            while (_nextSampleDeviceMicros <= deviceNow && NextSample(out float gx, out float gy, out float gz))
            {
                Device.AddSample(Counts(gx, countsPerG), Counts(gy, countsPerG), Counts(gz, countsPerG), (uint)(long)(_nextSampleDeviceMicros / 1000));
                SamplesMeasured++;
                _nextSampleDeviceMicros += period;
            }

            // Live latency bound: pending live samples leave within a second (README §3.5).
            if (deviceNow - _lastLiveFlushDeviceMicros >= 1_000_000)
            {
                Device.FlushLive();
                _lastLiveFlushDeviceMicros = deviceNow;
            }

            _backfillCredit = Math.Min(_backfillCredit + (elapsed.TotalSeconds * _options.BackfillFramesPerSecond), _options.BackfillFramesPerSecond);
            while (_backfillCredit >= 1 && !_disconnectPending && Device.PumpBackfill())
            {
                _backfillCredit--;
            }

            NotifyStatusIfChanged();
            if (_disconnectPending)
            {
                _disconnectPending = false;
                drop = _link;
            }
        }

        drop?.Disconnect();
    }

    /// <summary>Runs in real time from <paramref name="timeProvider"/>, advancing every <paramref name="step"/>, until cancelled.</summary>
    public async Task RunAsync(TimeProvider timeProvider, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        long last = timeProvider.GetTimestamp();
        using var timer = new PeriodicTimer(step, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long now = timeProvider.GetTimestamp();
                Advance(timeProvider.GetElapsedTime(last, now));
                last = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fault: the device resets (battery change, watchdog): the link drops, RAM is lost, boot id changes.</summary>
    public void Reset()
    {
        IGattPeripheralLink? link;
        lock (_gate)
        {
            link = _link;
            Device.Reset();
            _bootTrueMicros = _trueMicros;
            _nextSampleDeviceMicros = 0;
            _lastLiveFlushDeviceMicros = 0;
        }

        link?.Disconnect();
    }

    /// <summary>Fault: the link drops now.</summary>
    public void Disconnect()
    {
        IGattPeripheralLink? link;
        lock (_gate)
        {
            link = _link;
        }

        link?.Disconnect();
    }

    /// <summary>Fault: the MTU changes mid-connection.</summary>
    public void ChangeMtu(int mtu)
    {
        IGattPeripheralLink? link;
        lock (_gate)
        {
            link = _link;
        }

        link?.ChangeMtu(Math.Min(mtu, _options.MaxMtu));
    }

    /// <summary>Closes the open stored frame, as firmware does on an orderly shutdown (makes every sample backfillable).</summary>
    public void FlushStorage()
    {
        lock (_gate)
        {
            Device.Flush();
        }
    }

    /// <inheritdoc />
    public void Connected(IGattPeripheralLink link)
    {
        IGattPeripheralLink? previous;
        lock (_gate)
        {
            previous = _link;
            if (previous is not null && !ReferenceEquals(previous, link))
            {
                // One link at a time: a second central takes over (a backfill running for the first one ends).
                Device.SetMtu(0);
            }

            _link = link;
            _dataSubscribed = _controlSubscribed = _statusSubscribed = false;
            _notifiedFlags = null;
            Device.SetMtu(link.Mtu);
        }

        if (previous is not null && !ReferenceEquals(previous, link))
        {
            previous.Disconnect();
        }
    }

    /// <inheritdoc />
    public void Disconnected(IGattPeripheralLink link)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_link, link))
            {
                return;
            }

            _link = null;
            Device.SetMtu(0);
        }
    }

    /// <inheritdoc />
    public void MtuChanged(IGattPeripheralLink link, int mtu)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_link, link))
            {
                Device.SetMtu(mtu);
            }
        }
    }

    /// <inheritdoc />
    public byte[]? Read(Guid characteristic, out GattError error)
    {
        error = GattError.None;
        lock (_gate)
        {
            if (characteristic == WristbandUuids.Status)
            {
                var v = new byte[Sensing.Protocol.Control.DeviceStatus.Length];
                CurrentStatus().Write(v);
                return v;
            }

            if (characteristic == WristbandUuids.BatteryLevel)
            {
                return [Device.Battery];
            }
        }

        if (characteristic == WristbandUuids.ManufacturerName)
        {
            return Manufacturer;
        }

        if (characteristic == WristbandUuids.ModelNumber)
        {
            return Model;
        }

        if (characteristic == WristbandUuids.SerialNumber)
        {
            return _serial;
        }

        if (characteristic == WristbandUuids.FirmwareRevision)
        {
            return FirmwareRevision;
        }

        error = Characteristics.Any(c => c.Uuid == characteristic) ? GattError.NotPermitted : GattError.UnknownCharacteristic;
        return null;
    }

    /// <inheritdoc />
    public GattError Write(Guid characteristic, ReadOnlySpan<byte> value)
    {
        if (characteristic != WristbandUuids.ControlPoint)
        {
            return Characteristics.Any(c => c.Uuid == characteristic) ? GattError.NotPermitted : GattError.UnknownCharacteristic;
        }

        IGattPeripheralLink? drop = null;
        lock (_gate)
        {
            Device.Control(value, (uint)(long)(DeviceMicrosNow() / 1000));
            NotifyStatusIfChanged();
            if (_disconnectPending)
            {
                _disconnectPending = false;
                drop = _link;
            }
        }

        drop?.Disconnect();
        return GattError.None;
    }

    /// <inheritdoc />
    public void Subscribed(Guid characteristic)
    {
        lock (_gate)
        {
            _dataSubscribed |= characteristic == WristbandUuids.MotionData;
            _controlSubscribed |= characteristic == WristbandUuids.ControlPoint;
            if (characteristic == WristbandUuids.Status && !_statusSubscribed)
            {
                // Notifications report changes from what the central can read now.
                _statusSubscribed = true;
                _notifiedFlags = CurrentStatus().Flags;
            }
        }
    }

    private Sensing.Protocol.Control.DeviceStatus CurrentStatus() => Device.Status((uint)(long)(DeviceMicrosNow() / 1000));

    /// <summary>README §4: the device notifies Status when a flag changes. Called under the gate.</summary>
    private void NotifyStatusIfChanged()
    {
        if (_link is null || !_statusSubscribed)
        {
            return;
        }

        var status = CurrentStatus();
        if (status.Flags == _notifiedFlags)
        {
            return;
        }

        _notifiedFlags = status.Flags;
        status.Write(_statusValue);
        _link.Notify(WristbandUuids.Status, _statusValue);
    }

    private double DeviceMicrosNow() => (_trueMicros - _bootTrueMicros) * (1 + (ClockDriftPpm * 1e-6));

    private static short Counts(float g, int countsPerG)
        => (short)Math.Clamp(Math.Round(g * countsPerG), short.MinValue, short.MaxValue);

    private bool NextSample(out float x, out float y, out float z)
    {
        x = y = z = 0;
        if (_blockPos >= _block.Count)
        {
            if (_sourceDone || _source.Read(_block) == 0)
            {
                _sourceDone = true;
                return false;
            }

            _blockPos = 0;
        }

        x = _block.X[_blockPos];
        y = _block.Y[_blockPos];
        z = _block.Z[_blockPos];
        _blockPos++;
        return true;
    }

    /// <summary>A damaged copy of a notification: half the time 1..3 flipped bits, otherwise cut to 1..length-1 bytes.</summary>
    private ReadOnlySpan<byte> Damage(ReadOnlySpan<byte> value)
    {
        var copy = _corrupt.AsSpan(0, value.Length);
        value.CopyTo(copy);
        if (value.Length < 2 || _loss.Next(2) == 0)
        {
            // Distinct bits, so two flips never cancel into an intact value.
            int bits = copy.Length * 8, flips = _loss.Next(1, 4), first = _loss.Next(bits);
            for (int f = 0; f < flips; f++)
            {
                int bit = (first + (f * ((bits / 3) + 1))) % bits;
                copy[bit >> 3] ^= (byte)(1 << (bit & 7));
            }

            return copy;
        }

        return copy[.._loss.Next(1, value.Length)];
    }

    /// <summary>The device's radio: the link, with the injected faults in between. Called under the gate.</summary>
    private sealed class Radio(SimulatedWristband band) : IDeviceRadio
    {
        public bool Notify(ReadOnlySpan<byte> value)
        {
            if (band._link is null || !band._dataSubscribed)
            {
                return false;
            }

            bool historical = ((value[0] >> 3) & 3) == (int)FrameType.Historical;
            if (historical && band.DisconnectAfterBackfillFrames > 0 && --band.DisconnectAfterBackfillFrames == 0)
            {
                band._disconnectPending = true;
            }

            if (band.DropNextNotifications > 0)
            {
                band.DropNextNotifications--;
                band.NotificationsDropped++;
                return false;
            }

            if (band.NotificationLossProbability > 0 && band._loss.NextDouble() < band.NotificationLossProbability)
            {
                band.NotificationsDropped++;
                return false;
            }

            if (band.NotificationCorruptionProbability > 0 && band._loss.NextDouble() < band.NotificationCorruptionProbability)
            {
                band.NotificationsCorrupted++;
                return band._link.Notify(WristbandUuids.MotionData, band.Damage(value));
            }

            return band._link.Notify(WristbandUuids.MotionData, value);
        }

        public void Indicate(ReadOnlySpan<byte> value)
        {
            if (band._link is not null && band._controlSubscribed)
            {
                band._link.Indicate(WristbandUuids.ControlPoint, value);
            }
        }
    }
}

namespace Sensing.Protocol.Link;

/// <summary>GATT UUIDs of the wristband (README §2).</summary>
public static class WristbandUuids
{
    /// <summary>Sensing Motion Service.</summary>
    public static readonly Guid MotionService = Guid.Parse("6e5c0001-8f1a-4b6e-a0d3-2c7f41b9e5a0");

    /// <summary>Motion Data (notify): frames.</summary>
    public static readonly Guid MotionData = Guid.Parse("6e5c0002-8f1a-4b6e-a0d3-2c7f41b9e5a0");

    /// <summary>Control Point (write with response, indicate).</summary>
    public static readonly Guid ControlPoint = Guid.Parse("6e5c0003-8f1a-4b6e-a0d3-2c7f41b9e5a0");

    /// <summary>Status (read, notify).</summary>
    public static readonly Guid Status = Guid.Parse("6e5c0004-8f1a-4b6e-a0d3-2c7f41b9e5a0");

    /// <summary>Battery Service 0x180F.</summary>
    public static readonly Guid BatteryService = FromShort(0x180F);

    /// <summary>Battery Level 0x2A19.</summary>
    public static readonly Guid BatteryLevel = FromShort(0x2A19);

    /// <summary>Device Information 0x180A.</summary>
    public static readonly Guid DeviceInformation = FromShort(0x180A);

    /// <summary>Manufacturer Name String 0x2A29.</summary>
    public static readonly Guid ManufacturerName = FromShort(0x2A29);

    /// <summary>Model Number String 0x2A24.</summary>
    public static readonly Guid ModelNumber = FromShort(0x2A24);

    /// <summary>Serial Number String 0x2A25.</summary>
    public static readonly Guid SerialNumber = FromShort(0x2A25);

    /// <summary>Firmware Revision String 0x2A26.</summary>
    public static readonly Guid FirmwareRevision = FromShort(0x2A26);

    /// <summary>A 16-bit SIG UUID on the Bluetooth base UUID 0000xxxx-0000-1000-8000-00805f9b34fb.</summary>
    public static Guid FromShort(ushort uuid) => new($"0000{uuid:x4}-0000-1000-8000-00805f9b34fb");
}

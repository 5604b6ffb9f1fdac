namespace Sensing.Protocol.Link;

/// <summary>Characteristic properties, with the Bluetooth Core values.</summary>
[Flags]
public enum GattProperties : byte
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Readable.</summary>
    Read = 0x02,

    /// <summary>Write without response.</summary>
    WriteWithoutResponse = 0x04,

    /// <summary>Write with response.</summary>
    Write = 0x08,

    /// <summary>Notifications.</summary>
    Notify = 0x10,

    /// <summary>Indications (acknowledged).</summary>
    Indicate = 0x20,
}

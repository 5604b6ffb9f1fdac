namespace Sensing.Protocol.Link;

/// <summary>Why a GATT operation failed, classified once for every transport.</summary>
public enum GattError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The link is down (or went down during the operation).</summary>
    Disconnected,

    /// <summary>No such characteristic on the peer.</summary>
    UnknownCharacteristic,

    /// <summary>The characteristic does not allow the operation.</summary>
    NotPermitted,

    /// <summary>The value is longer than the ATT MTU allows.</summary>
    ValueTooLong,

    /// <summary>The peer sent something the transport could not understand.</summary>
    ProtocolViolation,
}

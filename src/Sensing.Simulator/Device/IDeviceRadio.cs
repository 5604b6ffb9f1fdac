namespace Sensing.Simulator.Device;

/// <summary>Where the device core sends what it transmits (the firmware's BLE stack).</summary>
public interface IDeviceRadio
{
    /// <summary>Sends one Motion Data notification; false when it was lost (the device cannot tell the difference).</summary>
    bool Notify(ReadOnlySpan<byte> value);

    /// <summary>Sends one Control Point indication.</summary>
    void Indicate(ReadOnlySpan<byte> value);
}

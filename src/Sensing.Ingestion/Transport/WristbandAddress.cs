using System.Net;
using Sensing.Protocol.Link;
using Sensing.Simulator.Link.Loopback;

namespace Sensing.Ingestion.Transport;

/// <summary>
/// How a band is reached, as configuration writes it: <c>loopback://127.0.0.1:7001</c> (a simulated band served by
/// <c>sensing simulate</c> on a loopback socket) or <c>memory://ID</c> (a simulated band in this process). Every
/// transport ends in an <see cref="IGattConnector"/>; a BLE transport (BlueZ over D-Bus: <c>org.bluez.Device1</c>,
/// <c>GattCharacteristic1.StartNotify</c>/<c>AcquireNotify</c>, <c>AcquireWrite</c>, the <c>MTU</c> property) is one
/// more implementation of it with an address scheme such as <c>ble://AA:BB:CC:DD:EE:FF</c>; it is not built here
/// because this machine has neither a Bluetooth controller nor a D-Bus client package.
/// </summary>
public static class WristbandAddress
{
    /// <summary>Makes the connector for an address.</summary>
    /// <param name="address">The configured address.</param>
    /// <param name="inMemory">Looks up in-process simulated bands by id (null when there are none).</param>
    /// <exception cref="FormatException">The address is not one of the schemes above; the message names it.</exception>
    public static IGattConnector Connector(string address, Func<string, IGattConnector?>? inMemory = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith("loopback://", StringComparison.OrdinalIgnoreCase))
        {
            var endpoint = address["loopback://".Length..];
            if (!IPEndPoint.TryParse(endpoint, out var ip) || ip.Port == 0)
            {
                throw new FormatException($"Band address '{address}': expected loopback://HOST:PORT with an IP address and a port.");
            }

            if (!IPAddress.IsLoopback(ip.Address))
            {
                throw new FormatException($"Band address '{address}': the socket transport serves simulated bands on loopback addresses only.");
            }

            return new LoopbackGattConnector(ip);
        }

        if (address.StartsWith("memory://", StringComparison.OrdinalIgnoreCase))
        {
            var id = address["memory://".Length..];
            return inMemory?.Invoke(id) ?? throw new FormatException($"Band address '{address}': no simulated band '{id}' runs in this process.");
        }

        if (address.StartsWith("ble://", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"Band address '{address}': the BLE (BlueZ) transport is not part of this build; see README, 'Transports'.");
        }

        throw new FormatException($"Band address '{address}': unknown scheme (use loopback://HOST:PORT or memory://ID).");
    }
}

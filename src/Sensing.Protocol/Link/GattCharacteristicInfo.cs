namespace Sensing.Protocol.Link;

/// <summary>A discovered characteristic.</summary>
/// <param name="Service">UUID of its service.</param>
/// <param name="Uuid">UUID of the characteristic.</param>
/// <param name="Properties">What it supports.</param>
public sealed record GattCharacteristicInfo(Guid Service, Guid Uuid, GattProperties Properties);

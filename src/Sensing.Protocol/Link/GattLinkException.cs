namespace Sensing.Protocol.Link;

/// <summary>A GATT operation failed; <see cref="Error"/> says why.</summary>
public sealed class GattLinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GattLinkException(GattError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The classified failure.</summary>
    public GattError Error { get; }
}

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// The timestamp units this client ever sends. Only seconds and milliseconds exist here on purpose: InfluxDB 1.6
/// silently treats any precision it does not know (e.g. <c>us</c>) as nanoseconds and stores wrong times with a 204,
/// while <c>s</c> and <c>ms</c> mean the same on 1.x, 2.x and 3.x.
/// </summary>
public enum WritePrecision : byte
{
    /// <summary>Timestamps are milliseconds since the Unix epoch (<c>precision=ms</c>).</summary>
    Milliseconds = 0,

    /// <summary>Timestamps are seconds since the Unix epoch (<c>precision=s</c>).</summary>
    Seconds = 1,
}

namespace Sensing.Storage.Influx;

/// <summary>A request InfluxDB refused or could not answer; <see cref="Kind"/> is the typed reason.</summary>
public sealed class InfluxException : Exception
{
    public InfluxException(InfluxErrorKind kind, int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    /// <summary>The classified reason.</summary>
    public InfluxErrorKind Kind { get; }

    /// <summary>HTTP status (0 when there was no answer).</summary>
    public int StatusCode { get; }
}

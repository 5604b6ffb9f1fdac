namespace Sensing.Storage.Influx;

/// <summary>The classified answer to one write request.</summary>
/// <param name="Action">What to do with the batch.</param>
/// <param name="Kind">The error class (<see cref="InfluxErrorKind.None"/> on success).</param>
/// <param name="StatusCode">HTTP status, 0 when there was no answer.</param>
/// <param name="Message">The server's error (<c>X-Influxdb-Error</c>, else the body's error/message), or the exception text.</param>
/// <param name="RetryAfter">The server's Retry-After, when it sent one.</param>
/// <param name="RejectedPoints">Points the server refused for good (partial writes), -1 when it did not say.</param>
public readonly record struct WriteVerdict(
    WriteAction Action, InfluxErrorKind Kind, int StatusCode, string Message, TimeSpan? RetryAfter, long RejectedPoints)
{
    /// <summary>The verdict of a 204.</summary>
    public static WriteVerdict Success { get; } = new(WriteAction.Accept, InfluxErrorKind.None, 204, string.Empty, null, 0);
}

namespace Sensing.Storage.Influx;

/// <summary>How the writer batches and retries.</summary>
public sealed class InfluxWriterOptions
{
    /// <summary>Points per request; InfluxDB's guidance is 5,000-10,000 (the Go client's default is 5,000).</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Upper bound of uncompressed line-protocol bytes per request (1.x refuses bodies over 25 MB).</summary>
    public int MaxBatchBytes { get; init; } = 4 << 20;

    /// <summary>A partial batch is sent once its oldest point has waited this long.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gzip request bodies (faster even on loopback; accepted by 1.x, 2.x and 3.x).</summary>
    public bool Gzip { get; init; } = true;

    /// <summary>On 404 <c>database not found</c>, create the database and resend; otherwise report the error and keep the data.</summary>
    public bool CreateDatabase { get; init; } = true;

    /// <summary>First retry delay (jittered down to half).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap of a server's Retry-After.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (BatchSize < 1 || MaxBatchBytes < 1024 || FlushInterval < TimeSpan.Zero || RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException(
                $"Writer options out of range: BatchSize {BatchSize} (>= 1), MaxBatchBytes {MaxBatchBytes} (>= 1024), FlushInterval {FlushInterval} (>= 0), " +
                $"RetryBaseDelay {RetryBaseDelay} (> 0), RetryMaxDelay {RetryMaxDelay} (>= RetryBaseDelay).");
        }
    }
}

namespace Sensing.Storage.Influx;

/// <summary>
/// The retry schedule: exponential (base x 2^(attempt-1), capped) with jitter over the upper half, and never
/// sooner than a server's Retry-After (itself capped). One small function, as in Telegraf's getRetryDuration.
/// </summary>
public sealed class RetryBackoff
{
    private readonly Random _random;

    /// <summary>Creates a schedule.</summary>
    /// <param name="baseDelay">Delay before the first retry (upper bound; jitter takes it down to half).</param>
    /// <param name="maxDelay">Cap of the exponential part.</param>
    /// <param name="maxRetryAfter">Cap of a server's Retry-After (a broken header must not stall the writer for days).</param>
    /// <param name="random">Source of jitter (seeded in tests).</param>
    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan maxRetryAfter, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        MaxRetryAfter = maxRetryAfter;
        _random = random ?? Random.Shared;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan MaxRetryAfter { get; }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = first retry).</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));

        // Jitter over [ceiling/2, ceiling]: spreads writers that failed together without ever retrying at once.
        var backoff = TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * _random.NextDouble()));
        if (retryAfter is TimeSpan asked)
        {
            var honoured = asked < MaxRetryAfter ? asked : MaxRetryAfter;
            return honoured > backoff ? honoured : backoff;
        }

        return backoff;
    }
}

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Delay before reconnect attempt n: a uniform draw from [0, min(cap, base·2^(n-1))] ("full jitter"), so that a
/// gateway losing many bands at once (power blip, a crowded room) does not reconnect them in lock step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan cap, Random random)
{
    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}

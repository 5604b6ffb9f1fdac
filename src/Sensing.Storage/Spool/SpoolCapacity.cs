using Microsoft.Extensions.Logging;
using Sensing.Storage.Diagnostics;

namespace Sensing.Storage.Spool;

/// <summary>
/// The byte budget of a spool and its back-pressure policy: a reservation that does not fit waits until the
/// drainer releases room; the start and end of every full episode are logged once, each wait is counted.
/// </summary>
internal sealed class SpoolCapacity
{
    private readonly object _lock = new();
    private readonly ILogger _logger;
    private readonly StorageMetrics? _metrics;
    private readonly TimeProvider _time;
    private TaskCompletionSource? _roomFreed;
    private long _used;
    private long _fullSince;
    private bool _full;

    public SpoolCapacity(long maxBytes, long used, ILogger logger, StorageMetrics? metrics, TimeProvider time)
    {
        MaxBytes = maxBytes;
        _used = used;
        _logger = logger;
        _metrics = metrics;
        _time = time;
    }

    public long MaxBytes { get; }

    public long Used => Interlocked.Read(ref _used);

    public async ValueTask ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        if (bytes > MaxBytes)
        {
            throw new ArgumentException($"A record of {bytes} bytes can never fit a spool of at most {MaxBytes} bytes; write smaller batches.", nameof(bytes));
        }

        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_used + bytes <= MaxBytes)
                {
                    _used += bytes;
                    if (_full)
                    {
                        _full = false;
                        Log.SpoolResumed(_logger, _time.GetElapsedTime(_fullSince).TotalSeconds, _used, MaxBytes);
                    }

                    return;
                }

                if (!_full)
                {
                    _full = true;
                    _fullSince = _time.GetTimestamp();
                    Log.SpoolFull(_logger, _used, MaxBytes);
                }

                _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _roomFreed.Task;
            }

            _metrics?.OnBackPressureWait();
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back a reservation that was never used (e.g. an append that failed).</summary>
    public void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        TaskCompletionSource? freed;
        lock (_lock)
        {
            _used -= bytes;
            freed = _roomFreed;
            _roomFreed = null;
        }

        freed?.TrySetResult();
    }
}

using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensing.Storage.Diagnostics;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;

namespace Sensing.Storage.Influx;

/// <summary>
/// The point sink: producers append to a durable <see cref="ISpool"/>; one background loop drains the spool in
/// order, in batches (by size and time), gzipped, classifying each response and retrying with backoff and jitter.
/// </summary>
/// <remarks>
/// Outcomes per batch (see <see cref="InfluxResponseClassifier"/>): accepted and partially-written batches leave
/// the spool (refused lines counted as rejected); bad data (400) is rejected and never retried; 413 splits the
/// batch in halves; 404 database-not-found creates the database when <see cref="InfluxWriterOptions.CreateDatabase"/>;
/// 401/403/other configuration faults keep the data and retry slowly (no storm) while <see cref="FlushAsync"/>
/// reports them; 429/503/5xx/network errors keep the data and retry after max(Retry-After, backoff). Nothing is sent
/// before the retry time. Resending is safe: a point's identity is measurement + tags + timestamp.
/// </remarks>
public sealed class InfluxWriter : IPointSink, IAsyncDisposable
{
    private readonly ISpool _spool;
    private readonly InfluxWriteClient _client;
    private readonly InfluxQueryClient _query;
    private readonly InfluxConnectionOptions _connection;
    private readonly InfluxWriterOptions _options;
    private readonly RetryBackoff _backoff;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _dataSignal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _body = new();
    private readonly Task _loop;
    private TaskCompletionSource _progress = NewSignal();
    private volatile bool _flushRequested;
    private WriteVerdict? _blocking;
    private int _disposed;

    /// <summary>Starts the writer over a spool (which it disposes) and an HttpClient (which the caller owns).</summary>
    public InfluxWriter(ISpool spool, HttpClient http, InfluxConnectionOptions connection, InfluxWriterOptions? options = null,
        StorageMetrics? metrics = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new InfluxWriterOptions();
        _options.Validate();
        _spool = spool;
        _connection = connection;
        _time = time ?? TimeProvider.System;
        _client = new InfluxWriteClient(http, connection, _time);
        _query = new InfluxQueryClient(http, connection);
        _backoff = new RetryBackoff(_options.RetryBaseDelay, _options.RetryMaxDelay, _options.MaxRetryAfter);
        _logger = logger ?? NullLogger.Instance;
        Metrics = metrics ?? new StorageMetrics();
        Metrics.ObserveSpool(() => spool.Bytes);
        _loop = Task.Run(() => DrainAsync(_stop.Token));
    }

    /// <summary>The counters of this writer.</summary>
    public StorageMetrics Metrics { get; }

    /// <summary>The spool under the writer.</summary>
    public ISpool Spool => _spool;

    /// <summary>The last failure that needs an operator (401, 403, missing database or RP), null while writes succeed.</summary>
    public WriteVerdict? BlockingError => _blocking;

    /// <inheritdoc />
    public async ValueTask WriteAsync(LineProtocolWriter lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await WriteAsync(lines.WrittenMemory, lines.LineCount, lines.Precision, lines.RetentionPolicy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes already-serialised complete lines durable (see <see cref="IPointSink.WriteAsync"/>).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> lines, int lineCount, WritePrecision precision, string? retentionPolicy, CancellationToken cancellationToken)
    {
        if (lineCount == 0)
        {
            return;
        }

        _ = precision.QueryValue(); // Guard: only ms or s ever reach the spool, so only ms or s are ever sent.
        await _spool.AppendAsync(lines, lineCount, precision, retentionPolicy ?? _connection.RetentionPolicy, cancellationToken).ConfigureAwait(false);
        Metrics.OnAdded(lineCount);
        Signal();
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var progress = Volatile.Read(ref _progress).Task;
            if (_spool.PendingLines == 0)
            {
                return;
            }

            if (_blocking is WriteVerdict blocking)
            {
                throw new InfluxException(blocking.Kind, blocking.StatusCode,
                    $"InfluxDB refuses writes ({blocking.Kind}, HTTP {blocking.StatusCode}): {blocking.Message}. {_spool.PendingLines} points wait in the spool.");
            }

            _flushRequested = true;
            Signal();
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the drain loop (spooled data stays on disk for the next start) and disposes the spool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }

        await _spool.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _dataSignal.Dispose();
        await _body.DisposeAsync().ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        try
        {
            if (_dataSignal.CurrentCount == 0)
            {
                _dataSignal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Writer stopped.
        }
    }

    private void ReportProgress() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private async Task DrainAsync(CancellationToken stop)
    {
        var failures = 0;
        long lingerStart = _time.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var pending = _spool.PendingLines;
            if (pending == 0)
            {
                _flushRequested = false;
                ReportProgress();
                await _dataSignal.WaitAsync(stop).ConfigureAwait(false);
                lingerStart = _time.GetTimestamp();
                continue;
            }

            // Time-based batching: a partial batch waits for more points until the flush interval has passed.
            var lingered = _time.GetElapsedTime(lingerStart);
            if (pending < _options.BatchSize && !_flushRequested && lingered < _options.FlushInterval)
            {
                await _dataSignal.WaitAsync(_options.FlushInterval - lingered, stop).ConfigureAwait(false);
                continue;
            }

            var batch = _spool.BeginBatch(_options.BatchSize, _options.MaxBatchBytes);
            if (batch is null)
            {
                // Appended but not yet fsynced; the appender signals again when it is.
                await _dataSignal.WaitAsync(TimeSpan.FromMilliseconds(10), stop).ConfigureAwait(false);
                continue;
            }

            WriteVerdict verdict;
            try
            {
                verdict = await SendAsync(batch, stop).ConfigureAwait(false);
            }
            catch
            {
                _spool.EndBatch(batch);
                throw;
            }

            Settle(batch, verdict);
            _spool.EndBatch(batch);
            ReportProgress();
            lingerStart = _time.GetTimestamp();
            if (verdict.Action is WriteAction.Retry or WriteAction.NeedsOperator or WriteAction.CreateDatabase)
            {
                failures++;
                Metrics.OnRetry();
                var delay = _backoff.Delay(failures, verdict.RetryAfter);
                if (verdict.Action == WriteAction.Retry)
                {
                    Log.WriteRetry(_logger, batch.LineCount, verdict.Kind, verdict.StatusCode, verdict.Message, failures, (long)delay.TotalMilliseconds);
                }
                else
                {
                    _blocking = verdict;
                    Log.WriteNeedsOperator(_logger, verdict.Kind, verdict.StatusCode, verdict.Message, (long)delay.TotalMilliseconds);
                }

                // Nothing is sent before the retry time.
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            else if (failures > 0)
            {
                Log.WriteRecovered(_logger, failures);
                failures = 0;
                _blocking = null;
            }
        }
    }

    private void Settle(SpoolBatch batch, WriteVerdict verdict)
    {
        switch (verdict.Action)
        {
            case WriteAction.Accept:
                batch.AcceptAll();
                var rejected = Math.Max(0, verdict.RejectedPoints);
                Metrics.OnWritten(batch.LineCount - rejected);
                Metrics.OnRejected(rejected);
                if (verdict.Kind != InfluxErrorKind.None)
                {
                    Log.WriteRejected(_logger, verdict.RejectedPoints, verdict.Kind, verdict.StatusCode, verdict.Message);
                }

                break;
            case WriteAction.Reject:
                batch.RejectAll();
                Metrics.OnRejected(batch.LineCount);
                Log.WriteRejected(_logger, batch.LineCount, verdict.Kind, verdict.StatusCode, verdict.Message);
                break;
            default:
                batch.KeepAll();
                break;
        }
    }

    private async Task<WriteVerdict> SendAsync(SpoolBatch batch, CancellationToken stop)
    {
        var parts = new ReadOnlyMemory<byte>[batch.Records.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = batch.Records[i].Lines;
        }

        return await SendPartsAsync(parts, batch.LineCount, batch.RetentionPolicy, batch.Precision, stop).ConfigureAwait(false);
    }

    private async Task<WriteVerdict> SendPartsAsync(ReadOnlyMemory<byte>[] parts, int lines, string? rp, WritePrecision precision, CancellationToken stop)
    {
        var verdict = await PostAsync(parts, lines, rp, precision, stop).ConfigureAwait(false);
        if (verdict.Action == WriteAction.CreateDatabase && _options.CreateDatabase)
        {
            Log.CreatingDatabase(_logger, _connection.Database);
            try
            {
                await _query.ExecuteAsync($"CREATE DATABASE {InfluxQl.Identifier(_connection.Database)}", stop).ConfigureAwait(false);
            }
            catch (InfluxException ex)
            {
                return verdict with { Action = WriteAction.NeedsOperator, Message = $"{verdict.Message}; creating it failed: {ex.Message}" };
            }

            verdict = await PostAsync(parts, lines, rp, precision, stop).ConfigureAwait(false);
        }

        if (verdict.Action == WriteAction.CreateDatabase)
        {
            return verdict with { Action = WriteAction.NeedsOperator, Message = $"{verdict.Message} (creating databases is switched off: create '{_connection.Database}' or fix the name)" };
        }

        if (verdict.Action != WriteAction.Split)
        {
            return verdict;
        }

        var whole = Concatenate(parts);
        if (lines <= 1)
        {
            return verdict.Kind == InfluxErrorKind.TooLarge
                ? verdict with { Action = WriteAction.Reject, Message = $"a single line of {whole.Length} bytes is larger than the server accepts", RejectedPoints = 1 }
                : verdict with { Action = WriteAction.Reject, RejectedPoints = 1 };
        }

        // 413 or a batch-wide type conflict: split at the line boundary nearest the middle, send each half (recursively).
        Log.SplittingBatch(_logger, whole.Length, verdict.Kind, lines);
        var middle = whole.Span[..(whole.Length / 2)].LastIndexOf((byte)'\n') + 1;
        if (middle <= 0)
        {
            middle = whole.Span.IndexOf((byte)'\n') + 1;
        }

        var firstLines = whole.Span[..middle].Count((byte)'\n');
        var first = await SendPartsAsync([whole[..middle]], firstLines, rp, precision, stop).ConfigureAwait(false);
        if (first.Action is not (WriteAction.Accept or WriteAction.Reject))
        {
            return first;
        }

        var second = await SendPartsAsync([whole[middle..]], lines - firstLines, rp, precision, stop).ConfigureAwait(false);
        if (second.Action is not (WriteAction.Accept or WriteAction.Reject))
        {
            return second;
        }

        // The halves' refusals add up; the verdict carries the reason of the half that had them (both, when both did).
        var rejectedFirst = Rejected(first, firstLines);
        var rejectedSecond = Rejected(second, lines - firstLines);
        if (rejectedFirst + rejectedSecond == 0)
        {
            return WriteVerdict.Success;
        }

        var carrier = rejectedSecond > 0 ? second : first;
        var message = rejectedFirst > 0 && rejectedSecond > 0 ? $"{first.Message}; {second.Message}" : carrier.Message;
        return carrier with { Action = WriteAction.Accept, RejectedPoints = rejectedFirst + rejectedSecond, Message = message };
    }

    private static long Rejected(WriteVerdict verdict, int lines)
        => verdict.Action == WriteAction.Reject ? lines : Math.Max(0, verdict.RejectedPoints);

    private static ReadOnlyMemory<byte> Concatenate(ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 1)
        {
            return parts[0];
        }

        var whole = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(whole.AsMemory(offset));
            offset += part.Length;
        }

        return whole;
    }

    private async Task<WriteVerdict> PostAsync(ReadOnlyMemory<byte>[] parts, int lines, string? rp, WritePrecision precision, CancellationToken stop)
    {
        ReadOnlyMemory<byte> body;
        if (_options.Gzip)
        {
            _body.SetLength(0);
            using (var gzip = new GZipStream(_body, CompressionLevel.Fastest, leaveOpen: true))
            {
                foreach (var part in parts)
                {
                    gzip.Write(part.Span);
                }
            }

            body = _body.GetBuffer().AsMemory(0, (int)_body.Length);
        }
        else
        {
            body = Concatenate(parts);
        }

        return await _client.WriteAsync(body, _options.Gzip, rp, precision, lines, stop).ConfigureAwait(false);
    }
}

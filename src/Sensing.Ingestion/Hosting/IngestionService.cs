using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensing.Ingestion.Processing;
using Sensing.Storage.Diagnostics;
using Sensing.Storage.Influx;
using Sensing.Storage.Schema;
using Sensing.Storage.Spool;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// The worker as a hosted service: opens the InfluxDB spool and writer, recovers the journal and starts one session
/// per band (in <see cref="StartAsync"/>, before the host reports started), keeps the database set up, and on stop
/// ends the sessions, commits the journal, hands every finished minute to the spool and gives InfluxDB a bounded
/// time to take it (what it does not take stays in the spool for the next start).
/// </summary>
public sealed class IngestionService : BackgroundService
{
    private readonly WorkerOptions _options;
    private readonly IngestionHostSetup _setup;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<BandEndpoint> _endpoints;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private InfluxWriter? _writer;
    private PointBatcher? _batcher;

    public IngestionService(WorkerOptions options, IngestionHostSetup setup, IReadOnlyList<BandEndpoint> endpoints, IngestionMetrics metrics,
        StorageMetrics storageMetrics, ILoggerFactory loggers)
    {
        _options = options;
        _setup = setup;
        _endpoints = endpoints;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Sensing.Ingestion");
        Metrics = metrics;
        StorageMetrics = storageMetrics;
    }

    /// <summary>The worker's instruments.</summary>
    public IngestionMetrics Metrics { get; }

    /// <summary>The storage instruments.</summary>
    public StorageMetrics StorageMetrics { get; }

    /// <summary>The running worker (after start).</summary>
    public IngestionRuntime? Runtime { get; private set; }

    /// <summary>The InfluxDB writer (after start).</summary>
    public InfluxWriter? Writer => _writer;

    /// <summary>Points handed to the spool so far.</summary>
    public long PointsSpooled => _batcher?.Points ?? 0;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var influx = _options.InfluxOptions();
        var spoolOptions = _options.SpoolOptions(_setup.DataFolder);
        var journalOptions = _options.JournalOptions(_setup.DataFolder);
        var storageLogger = _loggers.CreateLogger("Sensing.Storage");
        var spool = DiskSpool.Open(spoolOptions, storageLogger, StorageMetrics);
        _writer = new InfluxWriter(spool, _http, influx, new InfluxWriterOptions(), StorageMetrics, storageLogger);
        _batcher = new PointBatcher(_writer);
        _batcher.Start();
        Runtime = new IngestionRuntime(journalOptions, _options.SessionOptions(), _endpoints, _batcher, Metrics, _loggers, _setup.Time,
            _batcher.WaitForRoomAsync, _batcher.AddDevice);
        Runtime.Start();
        Log.Started(_logger, _endpoints.Count, journalOptions.Directory, spoolOptions.Directory, influx.BaseUri.ToString(), influx.Database);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Runtime is not null)
        {
            await Runtime.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_batcher is not null && _writer is not null)
        {
            await _batcher.FlushAsync(cancellationToken).ConfigureAwait(false);
            var pending = _writer.Spool.PendingLines;
            Log.Flushing(_logger, pending, _setup.ShutdownFlush.TotalSeconds);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_setup.ShutdownFlush);
            try
            {
                await _writer.FlushAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InfluxException)
            {
                Log.FlushIncomplete(_logger, ex.Message, _writer.Spool.PendingLines);
            }

            var left = _writer.Spool.PendingLines;
            await _writer.DisposeAsync().ConfigureAwait(false);
            await _batcher.DisposeAsync().ConfigureAwait(false);
            Log.Stopped(_logger, left);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Runtime?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The database may be down at start (it restarts too): points wait in the spool until setup succeeds.
        var setup = new InfluxSetup(new InfluxQueryClient(_http, _options.InfluxOptions()), _loggers.CreateLogger("Sensing.Storage"));
        var delay = 1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await setup.ApplyAsync(SensingSetup.Plan(_options.Influx.Database), stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is InfluxException or HttpRequestException || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                // A slow or absent database (a timeout is a TaskCanceledException) is weather, never a reason to stop the worker.
                Log.SetupRetry(_logger, ex.Message, delay);
                await Task.Delay(TimeSpan.FromSeconds(delay), stoppingToken).ConfigureAwait(false);
                delay = Math.Min(30, delay * 2);
            }
        }
    }
}

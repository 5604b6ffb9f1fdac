using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Processing;
using Sensing.Ingestion.Sessions;
using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Hosting;

/// <summary>A band the worker serves: who it is and how to reach it.</summary>
public sealed record BandEndpoint(BandIdentity Band, IGattConnector Connector);

/// <summary>
/// The worker without its host: recovers the journal into every band's stream (rebuilding pipeline state), runs one
/// session per band, and at stop lets each session end, commits the journal and applies what is durable.
/// </summary>
public sealed class IngestionRuntime : IAsyncDisposable
{
    private readonly SampleJournalOptions _journalOptions;
    private readonly SessionOptions _sessionOptions;
    private readonly IReadOnlyList<BandEndpoint> _endpoints;
    private readonly IMinuteSink _sink;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, ValueTask> _waitForRoom;
    private readonly Action<BandIdentity, Storage.Schema.DeviceStatus>? _statusObserved;
    private readonly List<WristbandSession> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private SampleJournal? _journal;

    /// <param name="journal">Where the sample journal lives.</param>
    /// <param name="sessions">How sessions talk to bands.</param>
    /// <param name="endpoints">The bands (ids unique).</param>
    /// <param name="sink">Receives finished minutes.</param>
    /// <param name="metrics">Instruments.</param>
    /// <param name="loggers">Logging.</param>
    /// <param name="time">The clock (simulated in the demo).</param>
    /// <param name="waitForRoom">Back-pressure from storage: awaited before applying each batch (null: none).</param>
    /// <param name="statusObserved">Receives each band's status report (for <c>device</c> points); null for none.</param>
    /// <exception cref="ArgumentException">Two endpoints share a band id.</exception>
    public IngestionRuntime(SampleJournalOptions journal, SessionOptions sessions, IReadOnlyList<BandEndpoint> endpoints, IMinuteSink sink,
        IngestionMetrics metrics, ILoggerFactory? loggers = null, TimeProvider? time = null, Func<CancellationToken, ValueTask>? waitForRoom = null,
        Action<BandIdentity, Storage.Schema.DeviceStatus>? statusObserved = null)
    {
        _statusObserved = statusObserved;
        ArgumentNullException.ThrowIfNull(endpoints);
        var duplicate = endpoints.GroupBy(e => e.Band.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Band id '{duplicate.Key}' is configured {duplicate.Count()} times; ids must be unique.", nameof(endpoints));
        }

        _journalOptions = journal;
        _sessionOptions = sessions;
        _endpoints = endpoints;
        _sink = sink;
        Metrics = metrics;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("Sensing.Ingestion");
        _time = time ?? TimeProvider.System;
        _waitForRoom = waitForRoom ?? (_ => ValueTask.CompletedTask);
    }

    /// <summary>The instruments.</summary>
    public IngestionMetrics Metrics { get; }

    /// <summary>The journal (after <see cref="Start"/>).</summary>
    public SampleJournal? Journal => _journal;

    /// <summary>The sessions, in configuration order (after <see cref="Start"/>).</summary>
    public IReadOnlyList<WristbandSession> Sessions => _sessions;

    /// <summary>Recovers the journal into the bands' streams, then starts every session.</summary>
    /// <exception cref="JournalCorruptException">The journal is damaged.</exception>
    public void Start()
    {
        var streams = _endpoints.ToDictionary(e => e.Band.Id, e => new BandStream(e.Band, _sink));
        var lookup = streams.GetAlternateLookup<ReadOnlySpan<char>>();
        var unknown = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        _journal = SampleJournal.Recover(_journalOptions, entry =>
        {
            Span<char> id = stackalloc char[entry.BandKey.Length];
            for (var i = 0; i < id.Length; i++)
            {
                id[i] = (char)entry.BandKey[i];
            }

            if (lookup.TryGetValue(id, out var stream))
            {
                stream.Apply(entry.Kind, entry.Payload);
            }
            else if (unknown.Add(entry.BandId))
            {
                Log.UnknownBand(_logger, entry.BandId);
            }
        }, _loggers.CreateLogger("Sensing.Ingestion.Journal"), _time);
        foreach (var stream in streams.Values)
        {
            stream.Flush();
        }

        Log.Rebuilt(_logger, streams.Count, streams.Values.Sum(s => s.Samples), clock.Elapsed.TotalSeconds);
        foreach (var endpoint in _endpoints)
        {
            var session = new WristbandSession(streams[endpoint.Band.Id], _journal, endpoint.Connector, _sessionOptions, Metrics,
                _loggers.CreateLogger("Sensing.Ingestion.Session"), _time, _waitForRoom, _statusObserved);
            _sessions.Add(session);
            _running.Add(Task.Run(() => session.RunAsync(_stop.Token)));
        }

        _running.Add(PushLoopAsync(_stop.Token));
    }

    /// <summary>One timer for every band: the minutes the pipelines finished are written every push interval (real time).</summary>
    private async Task PushLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_sessionOptions.PushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                foreach (var session in _sessions)
                {
                    session.PushSoon();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The live table's rows.</summary>
    public IReadOnlyList<BandSnapshot> Snapshot() => _sessions.Select(s => s.Snapshot()).ToList();

    /// <summary>Ends every session, commits the journal and applies what it made durable (minutes go to the sink).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions)
        {
            try
            {
                await session.DrainAsync(cancellationToken).ConfigureAwait(false);
                session.Stream.Flush();
            }
            catch (IOException)
            {
                // The journal failed: what was not durable was never acknowledged; the bands still hold it.
            }
        }

        _journal = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _stop.Dispose();
    }
}

using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;
using Sensing.Storage.Spool;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing storage setup</c>: create the database, retention policies and continuous queries (idempotent).
/// <c>sensing storage soak</c>: write at a fixed rate into the spool while InfluxDB is unreachable and print
/// the writer's memory every 10 s (the bounded-memory check for a long outage).
/// </summary>
internal static class StorageCommands
{
    public static Command Create()
    {
        var storage = new Command("storage", "InfluxDB storage: setup and soak.");
        storage.Subcommands.Add(Setup());
        storage.Subcommands.Add(Soak());
        return storage;
    }

    private static Command Setup()
    {
        var url = new Option<string>("--url") { Description = "InfluxDB base URL, with an optional path prefix.", DefaultValueFactory = _ => "http://127.0.0.1:8086/" };
        var db = new Option<string>("--db") { Description = "Database name.", DefaultValueFactory = _ => "sensing" };
        var user = new Option<string?>("--user") { Description = "User name (Basic authentication)." };
        var password = new Option<string?>("--password") { Description = "Password (Basic authentication)." };
        var token = new Option<string?>("--token") { Description = "API token (2.x/3.x), sent as 'Authorization: Token ...'." };
        var command = new Command("setup", "Create the database, retention policies (short, long) and continuous queries; safe to run again.");
        foreach (var option in new Option[] { url, db, user, password, token })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancel) =>
        {
            var options = new InfluxConnectionOptions
            {
                BaseUri = new Uri(result.GetValue(url)!),
                Database = result.GetValue(db)!,
                Username = result.GetValue(user),
                Password = result.GetValue(password),
                Token = result.GetValue(token),
            };
            using var http = new HttpClient();
            var changes = await new InfluxSetup(new InfluxQueryClient(http, options)).ApplyAsync(SensingSetup.Plan(options.Database), cancel);
            Console.WriteLine(changes.Count == 0 ? "Already set up: nothing changed." : string.Join(Environment.NewLine, changes));
            return 0;
        });
        return command;
    }

    private static Command Soak()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long to write.", DefaultValueFactory = _ => 10 };
        var rate = new Option<int>("--rate") { Description = "Points per second.", DefaultValueFactory = _ => 50_000 };
        var spoolDir = new Option<string?>("--spool") { Description = "Spool directory (default: a new temporary folder, deleted after)." };
        var spoolMb = new Option<int>("--spool-max-mb") { Description = "Spool bound in MiB; when full, the producer waits.", DefaultValueFactory = _ => 1024 };
        var url = new Option<string?>("--url") { Description = "InfluxDB URL (default: a closed loopback port, i.e. an outage for the whole run)." };
        var command = new Command("soak", "Write points at a fixed rate into the spool during a database outage; print memory every 10 s.");
        foreach (var option in new Option[] { minutes, rate, spoolDir, spoolMb, url })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancel) => RunSoakAsync(
            TimeSpan.FromMinutes(result.GetValue(minutes)), result.GetValue(rate), result.GetValue(spoolDir), result.GetValue(spoolMb), result.GetValue(url), cancel));
        return command;
    }

    private static async Task<int> RunSoakAsync(TimeSpan duration, int rate, string? spoolDir, int spoolMb, string? url, CancellationToken cancel)
    {
        var ownsSpool = spoolDir is null;
        spoolDir ??= Path.Combine(Path.GetTempPath(), $"sensing-soak-{Guid.NewGuid():N}");
        var baseUri = new Uri(url ?? $"http://127.0.0.1:{ClosedPort()}/");
        using var loggerFactory = new ConsoleLoggerFactory();
        var logger = loggerFactory.CreateLogger("storage");
        using var metrics = new Sensing.Storage.Diagnostics.StorageMetrics();
        var spool = DiskSpool.Open(new SpoolOptions { Directory = spoolDir, MaxBytes = (long)spoolMb << 20 }, logger, metrics);
        using var http = new HttpClient();
        var connection = new InfluxConnectionOptions { BaseUri = baseUri, Database = "sensing_soak" };
        await using var writer = new InfluxWriter(spool, http, connection, new InfluxWriterOptions(), metrics, logger);
        var bands = Enumerable.Range(0, 1000).Select(i => new WristbandSeries($"WB-{i:D6}", $"p-{i:D6}")).ToArray();
        using var lines = new LineProtocolWriter(SensingSchema.Precision, SensingSchema.LongRetention);
        Console.WriteLine($"soak: {rate} points/s for {duration.TotalMinutes:F1} min into {spoolDir} (bound {spoolMb} MiB), InfluxDB {baseUri}");
        Console.WriteLine("elapsed_s,points_added,spool_mib,backpressure_waits,write_retries,working_set_mib,gc_heap_mib,live_heap_after_full_gc_mib");
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(duration);

        // Samples come from their own loop, so they keep coming while the producer waits on a full spool.
        var peakWorkingSet = 0L;
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
            do
            {
                peakWorkingSet = Math.Max(peakWorkingSet, Sample(clock.Elapsed, writer));
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }, CancellationToken.None);
        var perTick = Math.Max(1, rate / 10);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        long produced = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // One tick = a tenth of a second of points, then wait for the tick's time to keep the rate.
                lines.Clear();
                for (var i = 0; i < perTick; i++, produced++)
                {
                    var minute = start.AddMinutes(produced / bands.Length);
                    lines.WriteMinute(bands[produced % bands.Length], new MinuteActivity(minute, (int)(produced % 120), (int)(produced % 61), produced % 500 / 10.0));
                }

                await writer.WriteAsync(lines, stop.Token);
                var due = TimeSpan.FromSeconds(produced / (double)rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run's time is up (possibly while waiting on a full spool).
        }

        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // Sampler stopped with the run.
        }

        peakWorkingSet = Math.Max(peakWorkingSet, Sample(clock.Elapsed, writer));
        Console.WriteLine($"soak done: {writer.Metrics.Added} points spooled in {clock.Elapsed.TotalSeconds:F0} s ({writer.Metrics.Added / clock.Elapsed.TotalSeconds:F0}/s), " +
                          $"peak working set {peakWorkingSet >> 20} MiB, {writer.Metrics.BackPressureWaits} back-pressure waits, nothing dropped");
        await writer.DisposeAsync();
        if (ownsSpool)
        {
            Directory.Delete(spoolDir, recursive: true);
        }

        return 0;
    }

    private static long Sample(TimeSpan elapsed, InfluxWriter writer)
    {
        using var process = Process.GetCurrentProcess();
        var workingSet = process.WorkingSet64;
        Console.WriteLine(string.Join(',',
            elapsed.TotalSeconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
            writer.Metrics.Added,
            writer.Spool.Bytes >> 20,
            writer.Metrics.BackPressureWaits,
            writer.Metrics.Retries,
            workingSet >> 20,
            GC.GetTotalMemory(false) >> 20,
            GC.GetTotalMemory(forceFullCollection: true) >> 20));
        return workingSet;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Warnings and errors of the storage layer on stderr (the back-pressure and retry messages).</summary>
    private sealed class ConsoleLoggerFactory : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => new ConsoleLogger(categoryName);

        public void Dispose()
        {
        }

        private sealed class ConsoleLogger(string category) : ILogger
        {
            private long _retryLines;

            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // Retry warnings repeat every backoff during an outage; show the first few only.
                if (eventId.Id == 4005 && Interlocked.Increment(ref _retryLines) > 3)
                {
                    return;
                }

                Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}

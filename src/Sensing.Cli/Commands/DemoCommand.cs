using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Sessions;
using Sensing.Ingestion.Simulation;
using Sensing.Simulator;
using Sensing.Storage.Influx;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing demo</c>: the main job with no configuration. It starts a private <c>influxd</c> (data under the user's
/// data folder, a free loopback port; or uses <c>--influx URL</c>), a handful of simulated wristbands wearing a day of
/// the motion model (walking, sitting, lying, a drive, a walk out of range), and the ingestion worker; shows a live
/// table; ends when the simulated day is over (or after <c>--minutes</c>, or at Ctrl+C), stopping everything cleanly,
/// and prints what InfluxDB holds and where to look.
/// </summary>
internal static class DemoCommand
{
    private const string Database = "sensing_demo";

    public static Command Create()
    {
        var influx = new Option<string?>("--influx") { Description = "Use this InfluxDB (base URL) instead of starting a private influxd." };
        var bands = new Option<int>("--bands") { Description = "Simulated wristbands (default 5).", DefaultValueFactory = _ => 5 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (default 120: the day in about 12 minutes).", DefaultValueFactory = _ => 120 };
        var minutes = new Option<double?>("--minutes") { Description = "Stop after this many real minutes (default: when the simulated day is over)." };
        var data = new Option<string?>("--data") { Description = "Folder for influxd's data and the worker's journal and spool (default: the user's data folder)." };
        var command = new Command("demo", "The whole system on simulated wristbands: influxd, bands, worker, live table.");
        foreach (var option in new Option[] { influx, bands, speed, minutes, data })
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(DemoReplayCommand.Create());
        command.SetAction((result, cancel) => CommandErrors.RunAsync(() => RunAsync(
            result.GetValue(influx), result.GetValue(bands), result.GetValue(speed), result.GetValue(minutes), result.GetValue(data), cancel)));
        return command;
    }

    private static async Task<int> RunAsync(string? influxUrl, int bandCount, double speed, double? minutes, string? data, CancellationToken cancel)
    {
        if (bandCount is < 1 or > 50)
        {
            throw new UsageException($"--bands must be 1 to 50 for the demo (the scale benchmark is sensing bench ingest); got {bandCount}.");
        }

        if (!(speed >= 1) || speed > 2000)
        {
            throw new UsageException($"--speed must be 1 to 2000; got {speed}.");
        }

        data ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sensing", "demo");
        var run = Path.Combine(data, "runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(run);
        // The simulated day starts at 07:00 today (UTC).
        var dayStart = new DateTimeOffset(DateTimeOffset.UtcNow.Date + TimeSpan.FromHours(7), TimeSpan.Zero);
        LocalInfluxServer? influxd = null;
        if (influxUrl is null)
        {
            if (LocalInfluxServer.FindInfluxd() is null)
            {
                throw new UsageException("influxd is not installed (looked on PATH and in /usr/bin). Install Debian's InfluxDB: sudo apt-get install -y influxdb " +
                                         "(./build.sh demo does it), or give --influx URL of an InfluxDB you have.");
            }

            AnsiConsole.MarkupLine($"[grey]Starting a private influxd (data in {Markup.Escape(Path.Combine(data, "influxdb"))})...[/]");
            influxd = await LocalInfluxServer.StartAsync(root: Path.Combine(data, "influxdb"), cancellationToken: cancel);
            influxUrl = influxd.BaseUri.ToString();
            await ForgetEarlierRunsOfTodayAsync(influxUrl, dayStart, cancel);
        }

        try
        {
            return await RunWorkerAsync(influxUrl, bandCount, speed, minutes, run, dayStart, cancel);
        }
        finally
        {
            if (influxd is not null)
            {
                await influxd.StopAsync(); // its data stays for next time (and for the queries printed above)
            }
        }
    }

    private static async Task<int> RunWorkerAsync(string influxUrl, int bandCount, double speed, double? minutes, string run, DateTimeOffset start, CancellationToken cancel)
    {
        // The simulated day runs `speed` times faster than real time.
        var clock = new ScaledTimeProvider(start, speed);
        var dayStart = start.TimeOfDay;
        await using var fleet = SimulatedFleet.Start(new FleetOptions
        {
            Bands = bandCount,
            Source = i => SampleSources.Day(i, 25, dayStart),
            Device = i => new SimulatedWristbandOptions { RateCode = 1, Seed = i + 1, ClockDriftPpm = i % 2 == 0 ? 20 : -20 },
            Faults = i => FaultPlan.OutOfRangeOnce(TimeSpan.FromHours(6.5 + (0.3 * i)), TimeSpan.FromMinutes(40)),
            Origin = clock.Start,
        }, clock);
        var byId = fleet.Bands.ToDictionary(b => b.Id);
        var overrides = new Dictionary<string, string?>
        {
            ["Sensing:Influx:Url"] = influxUrl,
            ["Sensing:Influx:Database"] = Database,
            ["Sensing:Health"] = $"http://127.0.0.1:{FreePort()}",
            ["Sensing:Journal:Directory"] = Path.Combine(run, "journal"),
            ["Sensing:Spool:Directory"] = Path.Combine(run, "spool"),
            // Session intervals are simulated time: at 120x a 10-minute request timeout is 5 real seconds.
            ["Sensing:Session:RequestTimeoutSeconds"] = (5 * speed).ToString(CultureInfo.InvariantCulture),
            ["Sensing:Session:ReconnectCapSeconds"] = "120",
            ["Sensing:Session:CompleteWhenIdleSeconds"] = "600",
        };
        for (var i = 0; i < fleet.Bands.Count; i++)
        {
            overrides[$"Sensing:Bands:{i}:Id"] = fleet.Bands[i].Id;
            overrides[$"Sensing:Bands:{i}:Patient"] = fleet.Bands[i].Patient;
            overrides[$"Sensing:Bands:{i}:Address"] = $"memory://{fleet.Bands[i].Id}";
        }

        var setup = new IngestionHostSetup { Time = clock, InMemory = id => byId.TryGetValue(id, out var b) ? b.InMemory : null, DataFolder = run };
        using var app = IngestionHost.Build([], setup, overrides);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (minutes is double m)
        {
            stop.CancelAfter(TimeSpan.FromMinutes(m));
        }

        // Ctrl+C (or SIGTERM) stops the host; the demo's own loop follows it and then everything stops in order.
        using var stopping = app.Lifetime.ApplicationStopping.Register(() => stop.Cancel());
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        await app.StartAsync(stop.Token);
        var service = app.Services.GetRequiredService<IngestionService>();
        var health = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "-";
        var driver = fleet.RunAsync(stop.Token);
        AnsiConsole.MarkupLine($"[bold]sensing demo[/]: {bandCount} simulated wristbands, InfluxDB {Markup.Escape(influxUrl)} (database {Database}), health {Markup.Escape(health)}/health");
        AnsiConsole.MarkupLine($"[yellow]Simulated time runs {speed:0.#}× faster than real time[/] (the day {clock.Start:yyyy-MM-dd HH:mm} to midnight UTC). Ctrl+C stops everything cleanly.");
        var clockReal = Stopwatch.StartNew();
        await ShowAsync(service, fleet, clock, clockReal, stop.Token);
        await stop.CancelAsync();
        await driver;
        AnsiConsole.MarkupLine("[grey]Stopping: sessions end, the journal commits, finished minutes go to InfluxDB...[/]");
        await app.StopAsync(CancellationToken.None);
        await ReportAsync(influxUrl, health, run, service, clock.Start);
        return 0;
    }

    private static async Task ShowAsync(IngestionService service, SimulatedFleet fleet, ScaledTimeProvider clock, Stopwatch real, CancellationToken stop)
    {
        var previous = new Dictionary<string, (long Samples, double At)>();
        Table Render()
        {
            var table = new Table().AddColumns("wristband", "link", "samples/s", "steps today", "minutes stored", "backfill", "held", "spool (points)")
                .Caption($"simulated {clock.GetUtcNow():HH:mm:ss} ({clock.Speed:0.#}× real time) · journal {(service.Runtime?.Journal?.BytesWritten ?? 0) >> 10} KiB · " +
                         $"{service.PointsSpooled} points to InfluxDB · durable p99 {service.Metrics.LatencyQuantileMs(0.99):0} ms");
            var at = real.Elapsed.TotalSeconds;
            foreach (var band in service.Runtime?.Snapshot() ?? [])
            {
                var rate = previous.TryGetValue(band.Band, out var p) && at > p.At ? (band.Samples - p.Samples) / (at - p.At) : 0;
                previous[band.Band] = (band.Samples, at);
                table.AddRow(band.Band, State(band), rate.ToString("0", CultureInfo.InvariantCulture), band.LiveSteps.ToString("N0", CultureInfo.InvariantCulture),
                    band.Minutes.ToString(CultureInfo.InvariantCulture), band.BackfillBehind == 0 ? "-" : $"{band.BackfillBehind} behind",
                    band.HeldSamples.ToString(CultureInfo.InvariantCulture), (service.Writer?.Spool.PendingLines ?? 0).ToString(CultureInfo.InvariantCulture));
            }

            return table;
        }

        bool Done() => fleet.Drained && (service.Runtime?.Snapshot().All(b => !b.PipelineOpen && b.PendingSamples == 0) ?? false);
        if (Console.IsOutputRedirected)
        {
            // No terminal: a plain table every 10 s (logs and CI).
            var last = TimeSpan.Zero;
            while (!stop.IsCancellationRequested && !Done())
            {
                await Delay(TimeSpan.FromSeconds(1), stop);
                if (real.Elapsed - last >= TimeSpan.FromSeconds(10))
                {
                    AnsiConsole.Write(Render());
                    last = real.Elapsed;
                }
            }

            AnsiConsole.Write(Render());
            return;
        }

        await AnsiConsole.Live(Render()).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested && !Done())
            {
                await Delay(TimeSpan.FromSeconds(1), stop);
                context.UpdateTarget(Render());
            }
        });
    }

    // Every run replays today from 07:00, and its minutes fall a few milliseconds off an earlier run's (the simulated
    // bands' clocks drift and are synchronised afresh), so they would not overwrite it: the private server's copy of
    // today goes first, or the closing table would count both runs.
    private static async Task ForgetEarlierRunsOfTodayAsync(string influxUrl, DateTimeOffset dayStart, CancellationToken cancel)
    {
        using var http = new HttpClient();
        var query = Queries(http, influxUrl);
        var databases = await query.QueryAsync("SHOW DATABASES", cancellationToken: cancel);
        if (databases.SelectMany(s => s.Values).Any(row => Database.Equals(row[0])))
        {
            await query.ExecuteAsync($"DELETE WHERE time >= '{dayStart.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}'", cancel);
            AnsiConsole.MarkupLine($"[grey]An earlier demo run's {dayStart:yyyy-MM-dd} was cleared from {Database}: this run replays the day again.[/]");
        }
    }

    private static InfluxQueryClient Queries(HttpClient http, string influxUrl)
        => new(http, new InfluxConnectionOptions { BaseUri = new Uri(influxUrl), Database = Database });

    private static string State(BandSnapshot band) => band.State switch
    {
        LinkState.Live => "[green]live[/]",
        LinkState.Backfilling => "[yellow]backfilling[/]",
        LinkState.Waiting => "[red]out of reach[/]",
        LinkState.Connecting or LinkState.Handshake => "connecting",
        _ => band.State.ToString().ToLowerInvariant(),
    };

    private static async Task ReportAsync(string influxUrl, string health, string run, IngestionService service, DateTimeOffset dayStart)
    {
        using var http = new HttpClient();
        var query = Queries(http, influxUrl);
        var table = new Table().AddColumns("wristband", "minutes in InfluxDB", "steps in InfluxDB", "walking minutes (dominant class)");
        try
        {
            var since = new Dictionary<string, object> { ["start"] = dayStart.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };
            var steps = await query.QueryAsync("SELECT count(\"steps\"), sum(\"steps\") FROM \"long\".\"minute\" WHERE time >= $start GROUP BY \"wristband\"", since);
            var walking = await query.QueryAsync("SELECT count(\"class\") FROM \"short\".\"epoch\" WHERE time >= $start AND \"class\" = 4 GROUP BY \"wristband\"", since);
            // Every band of the run, with zeros for one whose minutes have not reached InfluxDB (one still backfilling
            // when the run ended): a band missing from the table would read as a band that was never there.
            var bands = (service.Runtime?.Snapshot() ?? []).Select(b => b.Band).Union(steps.Select(s => s.Tags["wristband"])).Order(StringComparer.Ordinal);
            foreach (var band in bands)
            {
                var stored = steps.FirstOrDefault(s => s.Tags["wristband"] == band)?.Values[0];
                var walk = walking.FirstOrDefault(w => w.Tags["wristband"] == band)?.Values[0][1] ?? 0L;
                table.AddRow(band, $"{stored?[1] ?? 0L}", $"{stored?[2] ?? 0L:N0}", $"{walk}");
            }

            AnsiConsole.Write(table);
        }
        catch (Exception ex) when (ex is InfluxException or HttpRequestException)
        {
            AnsiConsole.MarkupLine($"[red]InfluxDB did not answer ({Markup.Escape(ex.Message)}); the points wait in the spool ({Markup.Escape(Path.Combine(run, "spool"))}).[/]");
        }

        var uri = new Uri(influxUrl);
        AnsiConsole.MarkupLine("[bold]Where to look[/]");
        AnsiConsole.MarkupLine($"  InfluxDB {Markup.Escape(influxUrl)}, database [bold]{Database}[/] (minute, epoch, wear in RP long/short; device status in short):");
        AnsiConsole.MarkupLine($"    influx -host {uri.Host} -port {uri.Port} -database {Database} -execute 'SELECT sum(\"steps\") FROM \"long\".\"minute\" GROUP BY \"wristband\"'");
        AnsiConsole.MarkupLine($"    (the private influxd runs only with the demo; to look later: influxd -config {Markup.Escape(Path.GetFullPath(Path.Combine(run, "..", "..", "influxdb", "influxdb.conf")))})");
        AnsiConsole.MarkupLine($"  The worker's journal and spool: {Markup.Escape(run)}");
        AnsiConsole.MarkupLine($"  While it runs: {Markup.Escape(health)}/health, /bands (JSON), /metrics (OpenTelemetry, Prometheus text)");
        AnsiConsole.MarkupLine($"  Against your own InfluxDB: sensing demo --influx http://HOST:8086/ ; real bands: sensing run (see README)");
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sensing.Ingestion.Simulation;
using Sensing.Storage.Influx;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing bench ingest --bands N --minutes M</c>: the scale run. A private influxd, <c>sensing simulate</c>
/// processes holding the bands (one process per 3,000 bands: two file descriptors per band, 20,000 per process here),
/// and <c>sensing run</c> as its own process; every 10 s it prints the worker's samples per second, durable-latency
/// p99, resident memory, the live heap at the worker's last full collection (what resident memory holds for the
/// bands, without the collector's slack) and CPU, and at the end a JSON summary line. Real time (speed 1), 25 Hz.
/// </summary>
internal static class BenchIngestCommand
{
    private const int BandsPerSimulator = 3000;

    public static Command Create()
    {
        var bands = new Option<int>("--bands") { Description = "Simulated wristbands.", DefaultValueFactory = _ => 10_000 };
        var minutes = new Option<double>("--minutes") { Description = "Length of the measured run, real minutes.", DefaultValueFactory = _ => 10 };
        var folder = new Option<string?>("--folder") { Description = "Working folder (journal, spool, manifests, logs); default a new temporary one, deleted after." };
        var noFsync = new Option<bool>("--no-fsync") { Description = "Journal and spool without fsync (measures everything but the disk)." };
        var command = new Command("ingest", "Scale run: N simulated bands at 25 Hz through the worker into a private influxd; throughput, p99 latency, memory, CPU.");
        command.Options.Add(bands);
        command.Options.Add(minutes);
        command.Options.Add(folder);
        command.Options.Add(noFsync);
        command.SetAction((result, cancel) => CommandErrors.RunAsync(() => RunAsync(result.GetValue(bands), result.GetValue(minutes), result.GetValue(folder), result.GetValue(noFsync), cancel)));
        return command;
    }

    private static async Task<int> RunAsync(int bands, double minutes, string? folder, bool noFsync, CancellationToken cancel)
    {
        if (bands < 1 || !(minutes > 0))
        {
            throw new UsageException($"--bands must be at least 1 and --minutes positive; got {bands} and {minutes}.");
        }

        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Ctrl+C or SIGTERM ends the run; the processes it started are then stopped in order.
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            interrupted.Cancel();
        });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            interrupted.Cancel();
        });
        cancel = interrupted.Token;
        var owns = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), $"sensing-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var tool = Path.Combine(AppContext.BaseDirectory, "sensing.dll");
        await using var influxd = await LocalInfluxServer.StartAsync(cancellationToken: cancel);
        var simulators = new List<Process>();
        Process? worker = null;
        try
        {
            // One clock for every simulator: the bands' days and the worker's UTC agree.
            var now = DateTimeOffset.UtcNow;
            var clockStart = now.ToString("O", CultureInfo.InvariantCulture);
            var manifests = new List<string>();
            for (var first = 0; first < bands; first += BandsPerSimulator)
            {
                var count = Math.Min(BandsPerSimulator, bands - first);
                var manifest = Path.Combine(folder, $"fleet-{first}.json");
                manifests.Add(manifest);
                simulators.Add(Start(tool, folder, $"simulate-{first}",
                    "simulate", "--bands", $"{count}", "--first-id", $"{first}", "--listen", "127.0.0.1:0", "--manifest", manifest,
                    "--storage-slots", "512", "--day-start", "08:00", "--clock-start", clockStart, "--clock-real-start", clockStart));
            }

            var merged = await MergeAsync(manifests, Path.Combine(folder, "fleet.json"), cancel);
            var health = $"http://127.0.0.1:{FreePort()}";
            worker = Start(tool, folder, "worker", "run", "--manifest", merged, "--influx", influxd.BaseUri.ToString(), "--db", "bench",
                "--journal", Path.Combine(folder, "journal"), "--spool", Path.Combine(folder, "spool"), "--health", health,
                $"--Sensing:Journal:Fsync={!noFsync}", $"--Sensing:Spool:Fsync={!noFsync}", "--Sensing:Session:AckSeconds=10",
                "--Sensing:Session:StatusSeconds=120");
            Console.WriteLine($"bench ingest: {bands} bands in {simulators.Count} simulate processes, worker pid {worker.Id}, influxd {influxd.BaseUri}, folder {folder}");
            Console.WriteLine("elapsed_s,connected,samples_per_s,durable_p99_ms_last_1_2_min,worker_rss_mib,worker_heap_mib_after_full_gc,worker_cpu_cores,points_spooled,spool_points,load1");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            var rows = new List<Row>();
            Row? previous = null;
            while (clock.Elapsed < TimeSpan.FromMinutes(minutes) && !cancel.IsCancellationRequested && !worker.HasExited)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), cancel);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var row = await SampleAsync(http, health, worker, clock.Elapsed);
                if (row is null)
                {
                    continue;
                }

                var rate = previous is null ? 0 : (row.Samples - previous.Samples) / (row.Elapsed - previous.Elapsed);
                var cpu = previous is null ? 0 : (row.CpuSeconds - previous.CpuSeconds) / (row.Elapsed - previous.Elapsed);
                row = row with { SamplesPerSecond = rate, CpuCores = cpu };
                rows.Add(row);
                previous = row;
                Console.WriteLine(string.Join(',', F(row.Elapsed, 0), row.Connected, F(rate, 0), F(row.P99, 0), row.RssMiB, F(row.HeapMiB, 0), F(cpu, 2), row.PointsSpooled, row.SpoolPoints, F(Load(), 2)));
            }

            // Steady state: the second half of the run (the first includes connecting and the initial backfill).
            var steady = rows.Skip(rows.Count / 2).ToList();
            var summary = new
            {
                bench = "ingest",
                bands,
                minutes,
                fsync = !noFsync,
                samplesPerSecond = steady.Count == 0 ? 0 : steady.Average(r => r.SamplesPerSecond),
                durableP99MsSteadyMax = steady.Count == 0 ? 0 : steady.Max(r => r.P99),
                workerRssMiBMax = rows.Count == 0 ? 0 : rows.Max(r => r.RssMiB),
                workerRssMiBFirstHalfEnd = rows.Count == 0 ? 0 : rows[Math.Max(0, (rows.Count / 2) - 1)].RssMiB,
                workerRssMiBEnd = rows.LastOrDefault()?.RssMiB ?? 0,
                workerHeapMiBAfterFullGcFirstHalfEnd = rows.Count == 0 ? 0 : rows[Math.Max(0, (rows.Count / 2) - 1)].HeapMiB,
                workerHeapMiBAfterFullGcEnd = rows.LastOrDefault()?.HeapMiB ?? 0,
                workerCpuCores = steady.Count == 0 ? 0 : steady.Average(r => r.CpuCores),
                workerCpuCoresPer1000Bands = steady.Count == 0 ? 0 : steady.Average(r => r.CpuCores) / (bands / 1000.0),
                load1End = Load(),
            };
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }
        finally
        {
            if (worker is { HasExited: false })
            {
                _ = Kill(worker.Id, 15); // SIGTERM: graceful stop
                if (!worker.WaitForExit(TimeSpan.FromSeconds(60)))
                {
                    worker.Kill();
                }
            }

            foreach (var simulator in simulators.Where(s => !s.HasExited))
            {
                simulator.Kill();
                simulator.WaitForExit();
            }

            if (owns)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static Process Start(string tool, string folder, string name, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(tool);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var log = new StreamWriter(Path.Combine(folder, name + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> MergeAsync(List<string> manifests, string path, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        while (!manifests.All(File.Exists))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException("the simulate processes did not write their manifests within 5 minutes");
            }

            await Task.Delay(500, cancel);
        }

        var parts = manifests.Select(FleetManifest.Read).ToList();
        new FleetManifest(parts[0].Clock, [.. parts.SelectMany(p => p.Bands)]).Write(path);
        return path;
    }

    private static async Task<Row?> SampleAsync(HttpClient http, string health, Process worker, TimeSpan elapsed)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(health + "/health")));
            var root = doc.RootElement;
            var (rss, cpu) = ProcStat(worker.Id);
            return new Row(elapsed.TotalSeconds, root.GetProperty("connected").GetInt32(), root.GetProperty("samples").GetInt64(),
                root.GetProperty("durableLatencyP99MsRecent").GetDouble(), rss, root.GetProperty("heapMiBAfterLastFullGc").GetDouble(), cpu,
                root.GetProperty("pointsSpooled").GetInt64(), root.GetProperty("spoolPoints").GetInt64(), 0, 0);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            // An overloaded worker still has a memory and a CPU figure: report them, and that it did not answer.
            var (rss, cpu) = worker.HasExited ? (0L, 0d) : ProcStat(worker.Id);
            Console.WriteLine($"# {elapsed.TotalSeconds:0} s: the worker's /health did not answer ({ex.Message}); worker RSS {rss} MiB, CPU time {cpu:0} s");
            return null;
        }
    }

    /// <summary>Resident memory (MiB) and CPU seconds (user + system) of a process, from /proc.</summary>
    private static (long RssMiB, double CpuSeconds) ProcStat(int pid)
    {
        var rssKb = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (long.Parse(rssKb, CultureInfo.InvariantCulture) / 1024, ticks / 100.0); // USER_HZ is 100 on Linux
    }

    private static double Load() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private sealed record Row(double Elapsed, int Connected, long Samples, double P99, long RssMiB, double HeapMiB, double CpuSeconds, long PointsSpooled, long SpoolPoints,
        double SamplesPerSecond, double CpuCores);
}

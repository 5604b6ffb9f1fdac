using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sensing.Ingestion.Simulation;
using Sensing.Storage.Influx;
using Sensing.Testing;
using Xunit.Abstractions;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>
/// The target as an operator would run it: <c>sensing simulate</c> (3 bands playing one recording, with the standard
/// faults and 100 ppm drift) and <c>sensing run</c> as separate processes against a real influxd. The worker is
/// killed with SIGKILL and restarted twice, influxd is stopped and started again; afterwards every band's minutes in
/// InfluxDB are exactly those of the recording fed to the pipeline in one go (the fault-free result).
/// </summary>
public sealed class WorkerProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Through_kill_9_of_the_worker_and_an_influxd_restart_InfluxDB_holds_exactly_the_recordings_minutes()
    {
        using var folder = new TempFolder("sensing-e2e");
        var recording = TestRecording.Generate(minutes: 24, seed: 11);
        var csv = Path.Combine(folder.Path, "recording.csv");
        recording.WriteCsv(csv);
        await using var influxd = await LocalInfluxServer.StartAsync();
        var manifest = Path.Combine(folder.Path, "fleet.json");
        using var simulate = ToolProcess.Start(folder.Path, "simulate", "--bands", "3", "--recording", csv, "--counts-per-g", "4096", "--faults",
            "--drift", "100", "--speed", "30", "--listen", "127.0.0.1:0", "--manifest", manifest);
        await WaitAsync(() => File.Exists(manifest), TimeSpan.FromSeconds(60), () => simulate.Output);
        var health = $"http://127.0.0.1:{FreePort()}";
        string[] run =
        [
            "run", "--manifest", manifest, "--influx", influxd.BaseUri.ToString(), "--db", "e2e", "--journal", Path.Combine(folder.Path, "journal"),
            "--spool", Path.Combine(folder.Path, "spool"), "--health", health, "--Sensing:Session:CompleteWhenIdleSeconds=90",
            "--Sensing:Session:ClockSeconds=60", "--Sensing:Session:RequestTimeoutSeconds=300", "--Sensing:Session:ReconnectCapSeconds=60",
        ];
        var worker = ToolProcess.Start(folder.Path, run);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Task.Delay(TimeSpan.FromSeconds(12));
            output.WriteLine("kill -9 the worker (1)");
            worker.KillHard();
            await Task.Delay(TimeSpan.FromSeconds(2));
            worker.Dispose();
            worker = ToolProcess.Start(folder.Path, run);
            await Task.Delay(TimeSpan.FromSeconds(8));
            output.WriteLine("stop influxd");
            await influxd.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(8));
            output.WriteLine("kill -9 the worker (2), while influxd is down");
            worker.KillHard();
            worker.Dispose();
            worker = ToolProcess.Start(folder.Path, run);
            await Task.Delay(TimeSpan.FromSeconds(6));
            output.WriteLine("start influxd again");
            await influxd.StartAgainAsync();

            // Done when every band's stream is completed and the spool is empty.
            await WaitAsync(async () =>
            {
                try
                {
                    using var bands = JsonDocument.Parse(await http.GetStringAsync(new Uri(health + "/bands")));
                    using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(health + "/health")));
                    return bands.RootElement.EnumerateArray().All(b => !b.GetProperty("pipelineOpen").GetBoolean() && b.GetProperty("streamsCompleted").GetInt64() > 0)
                           && bands.RootElement.GetArrayLength() == 3 && state.RootElement.GetProperty("spoolPoints").GetInt64() == 0;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromMinutes(3), () => worker.Output);

            // The meters are exported through OpenTelemetry in Prometheus text; /health says ok.
            var metrics = await http.GetStringAsync(new Uri(health + "/metrics"));
            Assert.Contains("sensing_ingestion_samples ", metrics);
            Assert.Contains("sensing_ingestion_durable_latency_count", metrics);
            Assert.Contains("sensing_storage_points_added", metrics);
            Assert.Contains("dotnet_process_memory_working_set ", metrics); // the runtime's meter, for memory over time
            Assert.Contains("dotnet_gc_last_collection_heap_size{gc_heap_generation=\"gen2\"}", metrics);
            using (var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(health + "/health"))))
            {
                Assert.Equal("ok", state.RootElement.GetProperty("status").GetString());
                Assert.True(state.RootElement.GetProperty("heapMiBAfterLastFullGc").GetDouble() >= 0);
            }

            Assert.Equal(0, worker.Stop(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            output.WriteLine(worker.Output.Length > 6000 ? worker.Output[^6000..] : worker.Output);
            worker.Dispose();
        }

        var fleet = FleetManifest.Read(manifest);
        var (steps, minutes) = recording.Reference(fleet.Clock!.Start.ToUnixTimeMilliseconds() * 1000);
        using var client = new HttpClient();
        var query = new InfluxQueryClient(client, new InfluxConnectionOptions { BaseUri = influxd.BaseUri, Database = "e2e" });
        var stored = await query.QueryAsync("SELECT \"steps\" FROM \"long\".\"minute\" GROUP BY \"wristband\"");
        Assert.Equal(3, stored.Count);
        foreach (var series in stored)
        {
            var band = series.Tags["wristband"];
            var perMinute = series.Values.Select(v => Convert.ToInt32(v[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            output.WriteLine($"{band}: {perMinute.Sum()} steps in {perMinute.Count} minutes (recording fed in one go: {steps} in {minutes.Count})");
            Assert.Equal(steps, perMinute.Sum());
            Assert.Equal(minutes.Select(m => m.Steps), perMinute);
        }

        Assert.Contains("faults", simulate.Output);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not done within {timeout}:\n{Tail(context())}");
            }

            await Task.Delay(500);
        }
    }

    private static Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> context) => WaitAsync(() => Task.FromResult(condition()), timeout, context);

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using Sensing.Storage.Influx;
using Sensing.Testing;
using Xunit.Abstractions;

namespace Sensing.Storage.Tests.Durability;

/// <summary>
/// The zero-loss, zero-duplicate target: a known point set written by a separate process through the disk spool
/// while influxd is stopped, killed and restarted and the writer process is killed with SIGKILL and restarted; the
/// database then holds exactly the known set, counted with InfluxQL and, independently, with the influx CLI.
/// </summary>
public sealed class ZeroLossTests(ITestOutputHelper output)
{
    private const int Total = 200_000;
    private const long T0 = 1_700_000_000_000;

    [Fact]
    public async Task KnownSet_SurvivesServerRestarts_AndWriterKills_ExactlyOnce()
    {
        using var folder = new TempFolder("sensing-zeroloss");
        await using var server = await LocalInfluxServer.StartAsync();
        var progress = folder.File("progress");
        var log = folder.File("writer.log");
        const string db = "zeroloss";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var query = new InfluxQueryClient(http, new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = db });

        // Paced at 20,000 points/s: about 10 s of production, so every event below hits a writer that is sending.
        using var writer = new WriterProcess(
            $"--url {server.BaseUri} --db {db} --spool '{folder.File("spool")}' --total {Total} --rate 20000 --progress '{progress}'", log);
        var clock = Stopwatch.StartNew();
        var events = new List<string>();
        string WriterLog() => File.Exists(log) ? File.ReadAllText(log) : "(no output yet)";
        int Acked() => File.Exists(progress) && int.TryParse(File.ReadAllText(progress), CultureInfo.InvariantCulture, out var n) ? n : 0;
        void Check()
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), $"stalled at {Acked()} acknowledged points; events: {string.Join("; ", events)}; log:\n{WriterLog()}");
            Assert.False(writer.HasExited && writer.ExitCode != 0, $"writer failed; log:\n{WriterLog()}");
        }

        async Task<long> StoredAsync()
        {
            try
            {
                var series = await query.QueryAsync("SELECT count(\"v\") FROM \"known\"");
                return series.Count == 0 ? 0 : (long)series[0].Values[0][1]!;
            }
            catch (Exception ex) when (ex is InfluxException or HttpRequestException or TaskCanceledException)
            {
                return 0; // no database yet, or the server is still opening its shards
            }
        }

        // Waits until the writer has put `more` points into InfluxDB since the call: writes are in flight now.
        async Task WhileWritingAsync(long more)
        {
            long from = await StoredAsync();
            while (await StoredAsync() < Math.Min(Total, from + more) && Acked() < Total)
            {
                Check();
                await Task.Delay(20);
            }
        }

        // Waits until the writer process just started has recovered its spool (its first log line).
        async Task StartWriterAsync()
        {
            writer.Start();
            while (System.Text.RegularExpressions.Regex.Count(WriterLog(), "resuming at") < writer.Starts)
            {
                Check();
                await Task.Delay(10);
            }
        }

        void Event(string what) => events.Add($"{clock.Elapsed.TotalSeconds:F1} s: {what} (acked {Acked()})");

        await StartWriterAsync();
        await WhileWritingAsync(15_000);
        await server.StopAsync();                      // 1. graceful server stop; the writer is killed during the outage
        Event("influxd stopped (SIGTERM)");
        await Task.Delay(500);
        writer.Kill();
        Event("writer killed (SIGKILL) during the outage");
        await StartWriterAsync();
        await Task.Delay(700);
        await server.StartAgainAsync();
        Event("influxd started");

        await WhileWritingAsync(20_000);
        server.Kill();                                 // 2. server crash (SIGKILL) while writes are in flight
        Event("influxd killed (SIGKILL) mid-write");
        await Task.Delay(800);
        await server.StartAgainAsync();
        Event("influxd started");

        await WhileWritingAsync(20_000);
        writer.Kill();                                 // 3. writer crash while the server is up and taking its writes
        Event("writer killed (SIGKILL) mid-write");
        await StartWriterAsync();

        await WhileWritingAsync(20_000);
        server.Kill();                                 // 4. both die: server crash, then writer crash, then restarts
        writer.Kill();
        Event("influxd and writer killed (SIGKILL)");
        await Task.Delay(500);
        await StartWriterAsync();
        await Task.Delay(700);
        await server.StartAgainAsync();
        Event("influxd started");

        await WhileWritingAsync(20_000);
        await server.StopAsync();                      // 5. a last outage near the end
        Event("influxd stopped (SIGTERM)");
        await Task.Delay(1000);
        await server.StartAgainAsync();
        Event("influxd started");

        Assert.True(await writer.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"writer did not finish; log:\n{WriterLog()}");
        Assert.True(writer.ExitCode == 0, $"writer exit code {writer.ExitCode}; log:\n{WriterLog()}");
        Assert.True(events.Count == 10 && Acked() == Total, $"the schedule did not run while writing: {string.Join("; ", events)}");
        output.WriteLine($"{Total} points, {writer.Starts} writer starts, 4 influxd restarts, {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join(Environment.NewLine, events));
        output.WriteLine(WriterLog());

        // Counted with InfluxQL ...
        var count = Assert.Single(await query.QueryAsync("SELECT count(\"v\") FROM \"known\""));
        Assert.Equal((long)Total, count.Values[0][1]);

        // ... every point exactly as written, none extra ...
        var seen = new bool[Total];
        await foreach (var chunk in query.StreamAsync("SELECT \"v\", \"band\" FROM \"known\"", chunkSize: 50_000))
        {
            foreach (var row in chunk.Values)
            {
                var v = (long)row[1]!;
                Assert.Equal(T0 + v, (long)row[0]!);
                Assert.Equal("b" + (v % 10), row[2]);
                Assert.False(seen[v], $"point {v} twice");
                seen[v] = true;
            }
        }

        Assert.All(seen, Assert.True);

        // ... and independently with the influx command-line client.
        var cli = await InfluxCli(server, db, "SELECT count(v) FROM known");
        output.WriteLine($"influx CLI: {cli}");
        Assert.Contains($"known,0,{Total}", cli, StringComparison.Ordinal);
    }

    private static async Task<string> InfluxCli(LocalInfluxServer server, string db, string statement)
    {
        var influx = new[] { "/usr/bin/influx", "/usr/local/bin/influx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("The influx command-line client is not installed; the README's test command installs it (apt-get install -y influxdb-client).");
        var start = new ProcessStartInfo(influx)
        {
            ArgumentList = { "-host", "127.0.0.1", "-port", server.HttpPort.ToString(CultureInfo.InvariantCulture), "-database", db, "-format", "csv", "-execute", statement },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"influx CLI failed ({process.ExitCode}): {stderr}");
    }
}

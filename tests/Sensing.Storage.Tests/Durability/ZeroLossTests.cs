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
        using var writer = new WriterProcess(
            $"--url {server.BaseUri} --db {db} --spool '{folder.File("spool")}' --total {Total} --progress '{progress}'", log);
        var clock = Stopwatch.StartNew();
        string WriterLog() => File.Exists(log) ? File.ReadAllText(log) : "(no output yet)";
        int Acked() => File.Exists(progress) && int.TryParse(File.ReadAllText(progress), CultureInfo.InvariantCulture, out var n) ? n : 0;
        async Task WaitForAcked(int points)
        {
            while (Acked() < points)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), $"writer stalled at {Acked()} acknowledged points; log:\n{WriterLog()}");
                Assert.False(writer.HasExited && writer.ExitCode != 0, $"writer failed; log:\n{WriterLog()}");
                await Task.Delay(20);
            }
        }

        writer.Start();
        await WaitForAcked(20_000);
        await server.StopAsync();                      // 1. graceful server stop, writer killed during the outage
        await Task.Delay(500);
        writer.Kill();
        writer.Start();
        await Task.Delay(1000);
        await server.StartAgainAsync();

        await WaitForAcked(70_000);
        server.Kill();                                 // 2. server crash (SIGKILL) while writes are in flight
        await Task.Delay(800);
        await server.StartAgainAsync();

        await WaitForAcked(110_000);
        writer.Kill();                                 // 3. writer crash while the server is up
        writer.Start();

        await WaitForAcked(150_000);
        server.Kill();                                 // 4. both die: server crash, then writer crash, then restarts
        writer.Kill();
        await Task.Delay(500);
        writer.Start();
        await Task.Delay(1000);
        await server.StartAgainAsync();

        await WaitForAcked(185_000);
        await server.StopAsync();                      // 5. a last outage near the end
        await Task.Delay(1000);
        await server.StartAgainAsync();

        Assert.True(await writer.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"writer did not finish; log:\n{WriterLog()}");
        Assert.True(writer.ExitCode == 0, $"writer exit code {writer.ExitCode}; log:\n{WriterLog()}");
        output.WriteLine($"{Total} points, {writer.Starts} writer starts, 4 server restarts, {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(WriterLog());

        // Counted with InfluxQL ...
        using var http = new HttpClient();
        var query = new InfluxQueryClient(http, new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = db });
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

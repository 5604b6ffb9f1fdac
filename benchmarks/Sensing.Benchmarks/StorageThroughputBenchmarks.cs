using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;
using Sensing.Storage.Spool;

namespace Sensing.Benchmarks;

/// <summary>
/// End-to-end write throughput against a private influxd 1.6, compared in the same run with curl posting the same
/// points as pre-built gzip batches of 5000 (one connection, one request at a time, like the writer). Each
/// invocation writes the same 500,000 minute points (a rewrite overwrites). Points per second = 500,000 / mean.
/// Target: the writer (serialise + fsync'd disk spool + gzip + HTTP) reaches at least 80 % of curl.
/// Run: <c>dotnet run -c Release --project benchmarks/Sensing.Benchmarks -- --filter *StorageThroughput*</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class StorageThroughputBenchmarks
{
    private const int Points = 500_000;
    private const int BatchSize = 5000;
    private readonly WristbandSeries[] _bands = Enumerable.Range(0, 1000).Select(i => new WristbandSeries($"WB-{i:D6}", $"p-{i:D6}")).ToArray();
    private readonly DateTimeOffset _start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private LocalInfluxServer _server = null!;
    private string _folder = null!;
    private string _curlConfig = null!;
    private HttpClient _http = null!;
    private InfluxConnectionOptions _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = LocalInfluxServer.StartAsync().GetAwaiter().GetResult();
        _folder = Path.Combine(Path.GetTempPath(), $"sensing-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        _http = new HttpClient();
        _connection = new InfluxConnectionOptions { BaseUri = _server.BaseUri, Database = "bench" };
        new InfluxSetup(new InfluxQueryClient(_http, _connection)).ApplyAsync(SensingSetup.Plan("bench"), CancellationToken.None).GetAwaiter().GetResult();

        // The same points, serialised once, gzipped per batch of 5000, one file per batch, one curl config for all.
        var config = new StringBuilder();
        using var lines = new LineProtocolWriter(SensingSchema.Precision, SensingSchema.LongRetention, 1 << 20);
        for (var batch = 0; batch < Points / BatchSize; batch++)
        {
            lines.Clear();
            Fill(lines, batch * BatchSize, BatchSize);
            var file = Path.Combine(_folder, $"batch-{batch:D4}.lp.gz");
            using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
            {
                gzip.Write(lines.WrittenSpan);
            }

            if (batch > 0)
            {
                config.AppendLine("next");
            }

            config.AppendLine($"url = \"{_server.BaseUri}write?db=bench&rp=long&precision=ms\"");
            config.AppendLine($"data-binary = \"@{file}\"");
            config.AppendLine("header = \"Content-Encoding: gzip\"");
            config.AppendLine("header = \"Content-Type: text/plain; charset=utf-8\"");
            config.AppendLine("silent\nshow-error\nfail\noutput = \"/dev/null\"");
        }

        _curlConfig = Path.Combine(_folder, "curl.cfg");
        File.WriteAllText(_curlConfig, config.ToString());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The reference: curl posting the pre-built gzip batches, sequentially over one kept-alive connection.</summary>
    [Benchmark(Baseline = true)]
    public void Curl()
    {
        using var curl = Process.Start(new ProcessStartInfo("curl") { ArgumentList = { "--config", _curlConfig }, RedirectStandardError = true })!;
        var errors = curl.StandardError.ReadToEnd();
        curl.WaitForExit();
        if (curl.ExitCode != 0)
        {
            throw new InvalidOperationException($"curl failed ({curl.ExitCode}): {errors}");
        }
    }

    /// <summary>The full path: serialise, append to the fsync'd disk spool, drain, gzip, POST, classify.</summary>
    [Benchmark]
    public void Writer() => WriteAllAsync(SpoolDurability.Fsync).GetAwaiter().GetResult();

    private async Task WriteAllAsync(SpoolDurability durability)
    {
        var spoolDir = Path.Combine(_folder, $"spool-{Guid.NewGuid():N}");
        var spool = DiskSpool.Open(new SpoolOptions { Directory = spoolDir, Durability = durability });
        await using (var writer = new InfluxWriter(spool, _http, _connection, new InfluxWriterOptions { BatchSize = BatchSize }))
        {
            using var lines = new LineProtocolWriter(SensingSchema.Precision, SensingSchema.LongRetention, 1 << 20);
            for (var start = 0; start < Points; start += BatchSize)
            {
                lines.Clear();
                Fill(lines, start, BatchSize);
                await writer.WriteAsync(lines, CancellationToken.None);
            }

            await writer.FlushAsync(CancellationToken.None);
            if (writer.Metrics.Written != Points)
            {
                throw new InvalidOperationException($"wrote {writer.Metrics.Written} of {Points} points");
            }
        }

        Directory.Delete(spoolDir, recursive: true);
    }

    private void Fill(LineProtocolWriter lines, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            lines.WriteMinute(_bands[i % _bands.Length], new MinuteActivity(_start.AddMinutes(i / _bands.Length), i % 130, i % 61, (i % 400) * 0.25));
        }
    }
}

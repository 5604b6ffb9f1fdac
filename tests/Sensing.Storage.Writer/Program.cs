using System.Globalization;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;

// Writes the known point set 0..total-1 through a disk spool into InfluxDB, the way the ingestion worker will:
// a chunk counts as acknowledged once WriteAsync returned (durable in the spool), and only then is the progress file
// advanced. Killed at any moment and started again, it resumes from the progress file and the spool.
// Point i: known,band=b{i%10} v={i}i {T0 + i} (ms). Exit 0 after everything is in InfluxDB.
var arguments = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
var total = int.Parse(arguments["total"], CultureInfo.InvariantCulture);
var chunk = int.Parse(arguments.GetValueOrDefault("chunk", "500"), CultureInfo.InvariantCulture);
var rate = int.Parse(arguments.GetValueOrDefault("rate", "0"), CultureInfo.InvariantCulture); // points/s; 0 = as fast as the spool takes them
var progressFile = arguments["progress"];
const long T0 = 1_700_000_000_000;

var spool = DiskSpool.Open(new SpoolOptions { Directory = arguments["spool"], MaxBytes = 64 << 20 });
using var http = new HttpClient();
var connection = new InfluxConnectionOptions { BaseUri = new Uri(arguments["url"]), Database = arguments["db"], Timeout = TimeSpan.FromSeconds(5) };
var options = new InfluxWriterOptions
{
    BatchSize = 5000,
    FlushInterval = TimeSpan.FromMilliseconds(20),
    RetryBaseDelay = TimeSpan.FromMilliseconds(100),
    RetryMaxDelay = TimeSpan.FromSeconds(1),
};
await using var writer = new InfluxWriter(spool, http, connection, options);
var next = File.Exists(progressFile) ? int.Parse(File.ReadAllText(progressFile), CultureInfo.InvariantCulture) : 0;
Console.WriteLine($"writer {Environment.ProcessId}: resuming at {next} of {total}, {spool.PendingLines} points recovered in the spool");
using var report = new Timer(
    _ => Console.WriteLine($"writer {Environment.ProcessId}: written {writer.Metrics.Written}, pending {spool.PendingLines}, retries {writer.Metrics.Retries}, blocked by {writer.BlockingError?.Kind}"),
    null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
using var lines = new LineProtocolWriter(WritePrecision.Milliseconds);
var paced = System.Diagnostics.Stopwatch.StartNew();
var pacedFrom = next;
while (next < total)
{
    lines.Clear();
    var end = Math.Min(total, next + chunk);
    for (var i = next; i < end; i++)
    {
        lines.Measurement("known").Tag("band", "b" + (i % 10)).Field("v", (long)i).Timestamp(T0 + i);
    }

    await writer.WriteAsync(lines, CancellationToken.None);
    next = end;
    // The acknowledgement record is replaced atomically (temp + rename): a kill never leaves it half written.
    File.WriteAllText(progressFile + ".tmp", next.ToString(CultureInfo.InvariantCulture));
    File.Move(progressFile + ".tmp", progressFile, overwrite: true);

    // Paced like a pipeline fed by wristbands, so the test's kills and outages land while writes are in flight.
    var due = rate > 0 ? TimeSpan.FromSeconds((next - pacedFrom) / (double)rate) - paced.Elapsed : TimeSpan.FromMilliseconds(5);
    if (due > TimeSpan.Zero)
    {
        await Task.Delay(due);
    }
}

await writer.FlushAsync(CancellationToken.None);
Console.WriteLine($"writer: DONE, {writer.Metrics.Written} written by this run");
return 0;

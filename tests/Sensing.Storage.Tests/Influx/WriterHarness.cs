using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;

namespace Sensing.Storage.Tests.Influx;

/// <summary>Builds writers with fast test timings and known point sets.</summary>
internal static class WriterHarness
{
    public static InfluxWriterOptions FastOptions(bool createDatabase = true, int batchSize = 5000) => new()
    {
        BatchSize = batchSize,
        FlushInterval = TimeSpan.FromMilliseconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(400),
        CreateDatabase = createDatabase,
    };

    public static InfluxWriter Writer(HttpClient http, InfluxConnectionOptions options, InfluxWriterOptions? writerOptions = null, ISpool? spool = null)
        => new(spool ?? new MemorySpool(64 << 20), http, options, writerOptions ?? FastOptions());

    /// <summary><paramref name="count"/> points <c>m,band=b{i%3} v={i}i {start+i}</c> (ms).</summary>
    public static LineProtocolWriter Points(int count, long start = 1_700_000_000_000, string measurement = "m")
    {
        var lines = new LineProtocolWriter();
        for (var i = 0; i < count; i++)
        {
            lines.Measurement(measurement).Tag("band", "b" + (i % 3)).Field("v", (long)i).Timestamp(start + i);
        }

        return lines;
    }

    public static async Task<long> CountAsync(InfluxQueryClient query, string measurement = "m", string field = "v")
    {
        var series = await query.QueryAsync($"SELECT count(\"{field}\") FROM \"{measurement}\"");
        return series.Count == 0 ? 0 : (long)series[0].Values[0][1]!;
    }
}

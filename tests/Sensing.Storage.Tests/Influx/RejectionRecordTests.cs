using System.Text;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;

namespace Sensing.Storage.Tests.Influx;

/// <summary>
/// What the writer records when influxd 1.6 refuses data for good: the refused count, and the server's own reason from
/// <c>X-Influxdb-Error</c> (which names the refused line), in the rejection log event; the good lines are written and
/// nothing is retried.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class RejectionRecordTests(InfluxServerFixture influx)
{
    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // name, setup statement ({db} replaced), lines, good lines, text the server's reason must contain
        { "partial write (parse)", "", "m v=1i 1700000000000\nm v= 1700000000001\nm v=3i 1700000000002\n", 2, "unable to parse 'm v= 1700000000001'" },
        { "parse error", "", "not line protocol at all\n", 0, "unable to parse 'not line protocol at all'" },
        { "type conflict within the batch", "", "m v=1i 1700000000000\nm v=2.5 1700000000001\nm v=3i 1700000000002\n", 2, "field type conflict" },
        { "type conflict with the shard", "write:m v=9i 1699999999999", "m v=1i 1700000000000\nm v=2.5 1700000000001\n", 1, "partial write: field type conflict" },
        { "beyond retention", "CREATE RETENTION POLICY \"h1\" ON {db} DURATION 1h REPLICATION 1 DEFAULT", "m v=1i 1500000000000\nm v=2i 4102444800000\n", 1, "points beyond retention policy" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_lines_are_counted_and_logged_with_the_servers_reason_and_not_retried(string name, string setup, string lines, int good, string reason)
    {
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        var probeOptions = influx.Options(options.Database + "probe");
        var probeQuery = await influx.CreateDatabaseAsync(probeOptions);
        foreach (var (db, q) in new[] { (options.Database, query), (probeOptions.Database, probeQuery) })
        {
            if (setup.StartsWith("write:", StringComparison.Ordinal))
            {
                using var seeded = await influx.Http.PostAsync(new Uri(influx.Server.BaseUri, $"write?db={db}&precision=ms"), new StringContent(setup["write:".Length..] + "\n"));
                Assert.Equal(204, (int)seeded.StatusCode);
            }
            else if (setup.Length > 0)
            {
                await q.ExecuteAsync(setup.Replace("{db}", InfluxQl.Identifier(db), StringComparison.Ordinal), CancellationToken.None);
            }
        }

        // The same lines posted by hand to a twin database: the server's reason is in X-Influxdb-Error.
        using var probe = await influx.Http.PostAsync(
            new Uri(influx.Server.BaseUri, $"write?db={probeOptions.Database}&precision=ms"), new StringContent(lines));
        Assert.Equal(400, (int)probe.StatusCode);
        Assert.True(probe.Headers.TryGetValues("X-Influxdb-Error", out var values), $"{name}: no X-Influxdb-Error");
        var header = string.Join("; ", values!);
        Assert.Contains(reason, header, StringComparison.Ordinal);

        var logger = new CapturingLogger();
        var count = lines.Count(c => c == '\n');
        await using (var writer = new InfluxWriter(new MemorySpool(1 << 20), influx.Http, options, WriterHarness.FastOptions(), logger: logger))
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes(lines), count, WritePrecision.Milliseconds, null, CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(good, writer.Metrics.Written);
            Assert.Equal(count - good, writer.Metrics.Rejected);
            Assert.Equal(0, writer.Metrics.Retries);
            Assert.Equal(0, writer.Spool.PendingLines);
        }

        var rejected = Assert.Single(logger.Events, e => e.Id == 4004);
        Assert.Contains(header, rejected.Message, StringComparison.Ordinal); // the record carries the server's own words
        Assert.Contains($"rejected {count - good} points", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(good + (setup.StartsWith("write:", StringComparison.Ordinal) ? 1 : 0), await WriterHarness.CountAsync(query));
    }
}

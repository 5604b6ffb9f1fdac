using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;

namespace Sensing.Storage.Tests.Influx;

[Collection(InfluxCollection.Name)]
public sealed class QueryClientTests(InfluxServerFixture influx)
{
    private async Task<(InfluxConnectionOptions Options, InfluxQueryClient Query)> WithPointsAsync(int count)
    {
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        using var lines = WriterHarness.Points(count);
        var verdict = await new InfluxWriteClient(influx.Http, options).WriteAsync(lines.WrittenMemory, false, null, lines.Precision, count, CancellationToken.None);
        Assert.Equal(WriteAction.Accept, verdict.Action);
        return (options, query);
    }

    [Fact]
    public async Task BoundParameters_AreValues_NotQueryText()
    {
        var (_, query) = await WithPointsAsync(30);
        var parameters = new Dictionary<string, object> { ["band"] = "b1", ["from"] = 15L };
        var series = Assert.Single(await query.QueryAsync("SELECT count(\"v\") FROM \"m\" WHERE \"band\" = $band AND \"v\" >= $from", parameters));
        Assert.Equal(5L, series.Values[0][1]);

        // An injection attempt stays a (non-matching) string value.
        var hostile = new Dictionary<string, object> { ["band"] = "b1' OR 1=1 --" };
        Assert.Empty(await query.QueryAsync("SELECT count(\"v\") FROM \"m\" WHERE \"band\" = $band", hostile));
    }

    [Fact]
    public async Task ChunkedResponses_AreStreamed_AndMerged()
    {
        var (_, query) = await WithPointsAsync(2500);
        var chunks = new List<InfluxSeries>();
        await foreach (var chunk in query.StreamAsync("SELECT \"v\" FROM \"m\"", chunkSize: 1000))
        {
            chunks.Add(chunk);
        }

        Assert.Equal([1000, 1000, 500], chunks.Select(c => c.Values.Count));
        Assert.Equal([true, true, false], chunks.Select(c => c.Partial));
        var whole = Assert.Single(await query.QueryAsync("SELECT \"v\" FROM \"m\""));
        Assert.Equal(2500, whole.Values.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (object?)(long)i), whole.Values.Select(r => r[1]));
    }

    [Fact]
    public async Task ErrorInside200Body_IsRaised()
    {
        var options = influx.Options(database: "does_not_exist_" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Query(options).QueryAsync("SELECT * FROM \"m\""));
        Assert.Equal((InfluxErrorKind.QueryFailed, 200), (error.Kind, error.StatusCode));
        Assert.Contains("database not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyntaxError_IsRaised()
    {
        var (_, query) = await WithPointsAsync(1);
        var error = await Assert.ThrowsAsync<InfluxException>(() => query.QueryAsync("SELEKT nonsense"));
        Assert.Equal((InfluxErrorKind.QueryFailed, 400), (error.Kind, error.StatusCode));
        Assert.Contains("error parsing query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalDays_GroupByPatientTimeZone()
    {
        // Minute points across two Copenhagen days (UTC+1 in January): 22:30Z-23:29Z on the 14th straddles local midnight.
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        var band = new WristbandSeries("WB-1", "p-1");
        using var lines = new LineProtocolWriter(SensingSchema.Precision);
        var start = new DateTimeOffset(2025, 1, 14, 22, 30, 0, TimeSpan.Zero);
        for (var i = 0; i < 60; i++)
        {
            lines.WriteMinute(band, new MinuteActivity(start.AddMinutes(i), 10, 30, 5.0));
        }

        Assert.Equal(WriteAction.Accept, (await new InfluxWriteClient(influx.Http, options).WriteAsync(lines.WrittenMemory, false, null, lines.Precision, 60, CancellationToken.None)).Action);
        var parameters = new Dictionary<string, object> { ["patient"] = "p-1", ["start"] = "2025-01-13T23:00:00Z", ["end"] = "2025-01-15T23:00:00Z" };
        var series = Assert.Single(await query.QueryAsync(
            "SELECT sum(\"steps\") FROM \"minute\" WHERE \"patient\" = $patient AND time >= $start AND time < $end GROUP BY time(1d) fill(none) tz('Europe/Copenhagen')", parameters));
        var days = series.Values.Select(r => (DateTimeOffset.FromUnixTimeMilliseconds((long)r[0]!), (long)r[1]!)).ToArray();
        Assert.Equal(
            [(new DateTimeOffset(2025, 1, 13, 23, 0, 0, TimeSpan.Zero), 300L), (new DateTimeOffset(2025, 1, 14, 23, 0, 0, TimeSpan.Zero), 300L)],
            days);
    }
}

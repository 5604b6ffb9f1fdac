using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Tests.Influx;

namespace Sensing.Storage.Tests.LineProtocol;

/// <summary>What the writer escapes, the real influxd reads back unchanged.</summary>
[Collection(InfluxCollection.Name)]
public sealed class LineProtocolServerTests(InfluxServerFixture influx)
{
    [Fact]
    public async Task EscapedNamesAndValues_RoundTripThroughInfluxd()
    {
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        const string measurement = "my meas,ure=ment";
        const string tagKey = "k ey,=";
        const string tagValue = "v al,=ue København";
        const string fieldKey = "f i,e=ld";
        const string text = "quote \" backslash \\ comma, equals= 🚲";
        using var writer = new LineProtocolWriter(WritePrecision.Seconds);
        writer.Measurement(measurement).Tag(tagKey, tagValue).Field(fieldKey, 42L).Field("s", text).Field("f", 1e78).Field("b", false).Timestamp(1_700_000_000);
        var client = new InfluxWriteClient(influx.Http, options);
        var verdict = await client.WriteAsync(writer.WrittenMemory, false, null, writer.Precision, 1, CancellationToken.None);
        Assert.Equal(WriteAction.Accept, verdict.Action);
        Assert.Equal(204, verdict.StatusCode);

        var series = Assert.Single(await query.QueryAsync("SELECT * FROM /.*/ GROUP BY *"));
        Assert.Equal(measurement, series.Name);
        Assert.Equal(tagValue, series.Tags[tagKey]);
        var row = Assert.Single(series.Values);
        Assert.Equal(1_700_000_000_000L, row[series.Column("time")]);
        Assert.Equal(42L, row[series.Column(fieldKey)]);
        Assert.Equal(text, row[series.Column("s")]);
        Assert.Equal(1e78, row[series.Column("f")]);
        Assert.Equal(false, row[series.Column("b")]);
    }
}

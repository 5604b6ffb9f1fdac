using Sensing.Storage.Influx;
using Sensing.Storage.Schema;

namespace Sensing.Storage.Tests.Influx;

[Collection(InfluxCollection.Name)]
public sealed class SetupTests(InfluxServerFixture influx)
{
    [Fact]
    public async Task Setup_CreatesDatabasePoliciesAndQueries_AndIsIdempotent()
    {
        var options = influx.Options();
        var query = influx.Query(options);
        var setup = new InfluxSetup(query);
        var plan = SensingSetup.Plan(options.Database);

        var first = await setup.ApplyAsync(plan, CancellationToken.None);
        Assert.Contains(first, s => s.StartsWith("CREATE DATABASE", StringComparison.Ordinal));
        Assert.Equal(2, first.Count(s => s.StartsWith("CREATE RETENTION POLICY", StringComparison.Ordinal)));
        Assert.Equal(2, first.Count(s => s.StartsWith("CREATE CONTINUOUS QUERY", StringComparison.Ordinal)));
        Assert.Empty(await setup.ApplyAsync(plan, CancellationToken.None));

        var policies = Assert.Single(await query.QueryAsync($"SHOW RETENTION POLICIES ON {InfluxQl.Identifier(options.Database)}"));
        var byName = policies.Values.ToDictionary(r => (string)r[policies.Column("name")]!);
        Assert.Equal("336h0m0s", byName["short"][policies.Column("duration")]);
        Assert.Equal("0s", byName["long"][policies.Column("duration")]);
        Assert.Equal(true, byName["long"][policies.Column("default")]);

        var cqs = (await query.QueryAsync("SHOW CONTINUOUS QUERIES")).Single(s => s.Name == options.Database);
        Assert.Equal(["sensing_device_1h_v1", "sensing_minute_1h_v1"], cqs.Values.Select(r => (string)r[0]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Setup_AltersChangedPolicies_AndDropsStaleManagedQueries()
    {
        var options = influx.Options();
        var setup = new InfluxSetup(influx.Query(options));
        await setup.ApplyAsync(SensingSetup.Plan(options.Database), CancellationToken.None);
        var changed = SensingSetup.Plan(options.Database, shortRetention: TimeSpan.FromDays(7));
        changed = changed with { ContinuousQueries = [changed.ContinuousQueries[0]] };

        var statements = await setup.ApplyAsync(changed, CancellationToken.None);
        Assert.Equal(2, statements.Count);
        Assert.StartsWith("ALTER RETENTION POLICY \"short\"", statements[0], StringComparison.Ordinal);
        Assert.StartsWith("DROP CONTINUOUS QUERY \"sensing_device_1h_v1\"", statements[1], StringComparison.Ordinal);
        Assert.Empty(await setup.ApplyAsync(changed, CancellationToken.None));
    }

    [Fact]
    public async Task ContinuousQueryBody_DownsamplesMinuteData()
    {
        // A CQ runs only at interval boundaries; run its SELECT ... INTO once by hand to check the body is right.
        var options = influx.Options();
        var query = influx.Query(options);
        var plan = SensingSetup.Plan(options.Database);
        await new InfluxSetup(query).ApplyAsync(plan, CancellationToken.None);
        var band = new WristbandSeries("WB-7", "p-7");
        using var lines = new Sensing.Storage.LineProtocol.LineProtocolWriter(SensingSchema.Precision, SensingSchema.LongRetention);
        var start = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 120; i++)
        {
            lines.WriteMinute(band, new MinuteActivity(start.AddMinutes(i), 2, 60, 1.0));
        }

        await new InfluxWriteClient(influx.Http, options).WriteAsync(lines.WrittenMemory, false, lines.RetentionPolicy, lines.Precision, 120, CancellationToken.None);
        var select = plan.ContinuousQueries[0].Select.Replace("GROUP BY", "WHERE time >= '2025-03-01T10:00:00Z' AND time < '2025-03-01T12:00:00Z' GROUP BY", StringComparison.Ordinal);
        await query.ExecuteAsync(select, CancellationToken.None);
        var hourly = Assert.Single(await query.QueryAsync("SELECT \"steps\", \"patient\", \"wristband\" FROM \"long\".\"minute_1h\""));
        Assert.Equal([120L, 120L], hourly.Values.Select(r => r[1]));
        Assert.All(hourly.Values, r => Assert.Equal(("p-7", "WB-7"), ((string)r[2]!, (string)r[3]!)));
    }
}

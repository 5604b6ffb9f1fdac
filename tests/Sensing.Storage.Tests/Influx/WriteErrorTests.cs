using System.Text;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Tests.Influx;

/// <summary>Each error class the real influxd 1.6 produces, classified and handled.</summary>
[Collection(InfluxCollection.Name)]
public sealed class WriteErrorTests(InfluxServerFixture influx)
{
    private static ReadOnlyMemory<byte> Text(string lines) => Encoding.UTF8.GetBytes(lines);

    private Task<WriteVerdict> Post(InfluxConnectionOptions options, string lines, int points, string? rp = null)
        => new InfluxWriteClient(influx.Http, options).WriteAsync(Text(lines), false, rp, WritePrecision.Milliseconds, points, CancellationToken.None);

    [Fact]
    public async Task Success_Is204()
    {
        var options = influx.Options();
        await influx.CreateDatabaseAsync(options);
        var verdict = await Post(options, "m v=1i 1700000000000\n", 1);
        Assert.Equal((WriteAction.Accept, InfluxErrorKind.None, 204), (verdict.Action, verdict.Kind, verdict.StatusCode));
    }

    [Fact]
    public async Task PartialWrite_KeepsGoodLines_CountsTheBadOne_NoRetry()
    {
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        var verdict = await Post(options, "m v=1i 1700000000000\nm v= 1700000000001\nm v=3i 1700000000002\n", 3);
        Assert.Equal((WriteAction.Accept, InfluxErrorKind.PartialWrite, 400), (verdict.Action, verdict.Kind, verdict.StatusCode));
        Assert.Equal(1, verdict.RejectedPoints);
        Assert.Contains("unable to parse", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(2, await WriterHarness.CountAsync(query));
    }

    [Fact]
    public async Task ParseError_RejectsTheBatch()
    {
        var options = influx.Options();
        await influx.CreateDatabaseAsync(options);
        var verdict = await Post(options, "this is not line protocol\n", 1);
        Assert.Equal((WriteAction.Reject, InfluxErrorKind.ParseError, 400), (verdict.Action, verdict.Kind, verdict.StatusCode));
        Assert.Equal(1, verdict.RejectedPoints);
    }

    [Fact]
    public async Task BeyondRetention_IsRecordedAndNotRetried()
    {
        var options = influx.Options();
        var query = await influx.CreateDatabaseAsync(options);
        await query.ExecuteAsync($"CREATE RETENTION POLICY \"h1\" ON {InfluxQl.Identifier(options.Database)} DURATION 1h REPLICATION 1", CancellationToken.None);
        var verdict = await Post(options, "m v=1i 1500000000000\n", 1, rp: "h1");
        Assert.Equal(InfluxErrorKind.BeyondRetention, verdict.Kind);
        Assert.Equal(400, verdict.StatusCode);
        Assert.Equal(1, verdict.RejectedPoints);
        Assert.NotEqual(WriteAction.Retry, verdict.Action);
        Assert.Contains("points beyond retention policy", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypeConflict_IsRecordedAndNotRetried()
    {
        var options = influx.Options();
        await influx.CreateDatabaseAsync(options);
        Assert.Equal(WriteAction.Accept, (await Post(options, "m v=1i 1700000000000\n", 1)).Action);
        var verdict = await Post(options, "m v=1.5 1700000000001\n", 1);
        Assert.Equal((InfluxErrorKind.TypeConflict, 400, 1L), (verdict.Kind, verdict.StatusCode, verdict.RejectedPoints));
        Assert.Contains("field type conflict", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionPolicyNotFound_NeedsAnOperator()
    {
        var options = influx.Options();
        await influx.CreateDatabaseAsync(options);
        var verdict = await Post(options, "m v=1i 1700000000000\n", 1, rp: "nope");
        Assert.Equal((WriteAction.NeedsOperator, InfluxErrorKind.RetentionPolicyNotFound, 500), (verdict.Action, verdict.Kind, verdict.StatusCode));
    }

    [Fact]
    public async Task DatabaseNotFound_IsCreated_WhenConfigured()
    {
        var options = influx.Options();
        var verdict = await Post(options, "m v=1i 1700000000000\n", 1);
        Assert.Equal((WriteAction.CreateDatabase, InfluxErrorKind.DatabaseNotFound, 404), (verdict.Action, verdict.Kind, verdict.StatusCode));

        await using var writer = WriterHarness.Writer(influx.Http, options);
        using var points = WriterHarness.Points(10);
        await writer.WriteAsync(points, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(10, await WriterHarness.CountAsync(influx.Query(options)));
    }

    [Fact]
    public async Task DatabaseNotFound_IsAClearError_WhenCreationIsOff_AndDataIsKept()
    {
        var options = influx.Options();
        await using var writer = WriterHarness.Writer(influx.Http, options, WriterHarness.FastOptions(createDatabase: false));
        using var points = WriterHarness.Points(10);
        await writer.WriteAsync(points, CancellationToken.None);
        var error = await FlushUntilBlockedAsync(writer);
        Assert.Equal(InfluxErrorKind.DatabaseNotFound, error.Kind);
        Assert.Contains("database not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("creating databases is switched off", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, writer.Spool.PendingLines);
    }

    [Fact]
    public async Task Unauthorized_AndForbidden_AreClearErrors_WithoutARetryStorm()
    {
        await using var server = await LocalInfluxServer.StartAsync(authEnabled: true);
        var admin = new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = "secured", Username = "admin", Password = "admin-pass" };
        var adminQuery = new InfluxQueryClient(influx.Http, admin);
        await adminQuery.ExecuteAsync("CREATE USER \"admin\" WITH PASSWORD 'admin-pass' WITH ALL PRIVILEGES", CancellationToken.None);
        await adminQuery.ExecuteAsync("CREATE DATABASE \"secured\"", CancellationToken.None);
        await adminQuery.ExecuteAsync("CREATE USER \"reader\" WITH PASSWORD 'reader-pass'", CancellationToken.None);
        await adminQuery.ExecuteAsync("GRANT READ ON \"secured\" TO \"reader\"", CancellationToken.None);

        var anonymous = new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = "secured" };
        var unauthorized = await new InfluxWriteClient(influx.Http, anonymous).WriteAsync(Text("m v=1i 1\n"), false, null, WritePrecision.Milliseconds, 1, CancellationToken.None);
        Assert.Equal((WriteAction.NeedsOperator, InfluxErrorKind.Unauthorized, 401), (unauthorized.Action, unauthorized.Kind, unauthorized.StatusCode));

        var reader = new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = "secured", Username = "reader", Password = "reader-pass" };
        var forbidden = await new InfluxWriteClient(influx.Http, reader).WriteAsync(Text("m v=1i 1\n"), false, null, WritePrecision.Milliseconds, 1, CancellationToken.None);
        Assert.Equal((WriteAction.NeedsOperator, InfluxErrorKind.Forbidden, 403), (forbidden.Action, forbidden.Kind, forbidden.StatusCode));
        Assert.Contains("not authorized to write", forbidden.Message, StringComparison.Ordinal);

        // The writer keeps the data, says why, and backs off: in 1.5 s with a 50-400 ms schedule, a handful of tries, not hundreds.
        await using var writer = WriterHarness.Writer(influx.Http, anonymous);
        using var points = WriterHarness.Points(5);
        await writer.WriteAsync(points, CancellationToken.None);
        var error = await FlushUntilBlockedAsync(writer);
        Assert.Equal(InfluxErrorKind.Unauthorized, error.Kind);
        await Task.Delay(1500);
        Assert.InRange(writer.Metrics.Retries, 1, 10);
        Assert.Equal(5, writer.Spool.PendingLines);

        await using var good = WriterHarness.Writer(influx.Http, admin);
        await good.WriteAsync(points, CancellationToken.None);
        await good.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(5, await WriterHarness.CountAsync(adminQuery));
    }

    private static async Task<InfluxException> FlushUntilBlockedAsync(InfluxWriter writer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                await writer.FlushAsync(timeout.Token);
                throw new Xunit.Sdk.XunitException("FlushAsync succeeded although InfluxDB refuses the writes.");
            }
            catch (InfluxException ex)
            {
                return ex;
            }
        }
    }
}

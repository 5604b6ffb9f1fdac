using System.Net.Sockets;
using System.Text;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Tests.Influx;

/// <summary>
/// 413 and 503 from a real influxd 1.6, made to give them by its own limits: <c>max-body-size</c> (checked against the
/// gzipped Content-Length) and the write throttler (<c>max-concurrent-write-limit</c>, <c>enqueued-write-timeout</c>),
/// with one write held open by a client that sends its body slowly. (Retry-After is not sent by 1.x: that case is
/// the loopback stub's, in <see cref="WriteRetryTests"/>.)
/// </summary>
public sealed class ServerLimitTests
{
    /// <summary>A private influxd with extra [http] settings, and a database "limits" on it.</summary>
    private static async Task<(LocalInfluxServer Server, InfluxConnectionOptions Options, InfluxQueryClient Query)> StartAsync(HttpClient http, string httpConfig)
    {
        var server = await LocalInfluxServer.StartAsync(extraHttpConfig: httpConfig);
        var options = new InfluxConnectionOptions { BaseUri = server.BaseUri, Database = "limits" };
        var query = new InfluxQueryClient(http, options);
        await query.ExecuteAsync("CREATE DATABASE \"limits\"", CancellationToken.None);
        return (server, options, query);
    }

    [Fact]
    public async Task TooLarge413_FromInfluxd_SplitsTheBatch_AndEveryPointLandsOnce()
    {
        using var http = new HttpClient();
        var (server, options, query) = await StartAsync(http, "max-body-size = 2000");
        await using var _ = server;

        using var points = WriterHarness.Points(3000);
        var direct = await new InfluxWriteClient(http, options).WriteAsync(points.WrittenMemory, false, null, WritePrecision.Milliseconds, 3000, CancellationToken.None);
        Assert.Equal((WriteAction.Split, InfluxErrorKind.TooLarge, 413), (direct.Action, direct.Kind, direct.StatusCode));

        var logger = new CapturingLogger();
        await using var writer = new InfluxWriter(new Sensing.Storage.Spool.MemorySpool(8 << 20), http, options, WriterHarness.FastOptions(), logger: logger);
        await writer.WriteAsync(points, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3000, writer.Metrics.Written);
        Assert.Equal(0, writer.Metrics.Rejected);
        Assert.Contains(logger.Events, e => e.Message.Contains("split", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3000, await WriterHarness.CountAsync(query));
    }

    [Fact]
    public async Task Throttled503_FromInfluxd_IsRetried_UntilTheWriteSlotFrees()
    {
        using var http = new HttpClient();
        var (server, options, query) = await StartAsync(http, "max-concurrent-write-limit = 1\nenqueued-write-timeout = \"200ms\"");
        await using var _ = server;

        // A write whose body never finishes holds the only write slot.
        using var hog = new TcpClient();
        await hog.ConnectAsync("127.0.0.1", server.HttpPort);
        var stream = hog.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /write?db=limits HTTP/1.1\r\nHost: 127.0.0.1:{server.HttpPort}\r\nContent-Length: 100000\r\n\r\nm v=1i 1"));
        await stream.FlushAsync();
        await Task.Delay(300);

        using var lines = WriterHarness.Points(5);
        var direct = await new InfluxWriteClient(http, options).WriteAsync(lines.WrittenMemory, false, null, WritePrecision.Milliseconds, 5, CancellationToken.None);
        Assert.Equal((WriteAction.Retry, InfluxErrorKind.Throttled, 503), (direct.Action, direct.Kind, direct.StatusCode));
        Assert.Contains("throttled", direct.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(direct.RetryAfter);

        await using var writer = WriterHarness.Writer(http, options);
        await writer.WriteAsync(lines, CancellationToken.None);
        await Task.Delay(800);
        Assert.True(writer.Metrics.Retries >= 1, "the throttled write was not retried");
        Assert.Equal(5, writer.Spool.PendingLines);

        hog.Dispose(); // the slot frees: the next retry lands
        await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(5, await WriterHarness.CountAsync(query));
    }
}

using Sensing.Storage.Influx;

namespace Sensing.Storage.Tests.Influx;

/// <summary>
/// Answers a real influxd 1.6 cannot be made to give on demand (413 for a chosen size, 429/503 with Retry-After,
/// 5xx, a server that is not there yet), from a loopback stub.
/// </summary>
public sealed class WriteRetryTests
{
    private static InfluxConnectionOptions Options(Uri baseUri) => new() { BaseUri = baseUri, Database = "db" };

    private static async Task WriteAndFlushAsync(InfluxWriter writer, int points, TimeSpan timeout)
    {
        using var lines = WriterHarness.Points(points);
        await writer.WriteAsync(lines, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(timeout);
    }

    [Fact]
    public async Task TooLarge_SplitsTheBatch_UntilItFits_EveryPointOnce()
    {
        // The stub takes at most 3 lines per request, like a server with a small max-body-size.
        await using var stub = new LoopbackInfluxStub(r => r.Lines.Length > 3 ? new(413, "{\"error\":\"Request Entity Too Large\"}") : LoopbackInfluxStub.Response.NoContent);
        using var http = new HttpClient();
        await using var writer = WriterHarness.Writer(http, Options(stub.BaseUri));
        await WriteAndFlushAsync(writer, 20, TimeSpan.FromSeconds(10));
        var accepted = stub.Requests.Where(r => r.Lines.Length <= 3).SelectMany(r => r.Lines).ToArray();
        Assert.Equal(20, accepted.Length);
        Assert.Equal(20, accepted.Distinct().Count());
        Assert.Contains(stub.Requests, r => r.Lines.Length == 20);
        Assert.Equal(20, writer.Metrics.Written);
        Assert.Equal(0, writer.Metrics.Rejected);
    }

    [Fact]
    public async Task Throttled429_HonoursRetryAfter()
    {
        var calls = 0;
        await using var stub = new LoopbackInfluxStub(_ => Interlocked.Increment(ref calls) == 1
            ? new(429, "{\"code\":\"too many requests\",\"message\":\"slow down\"}", new() { ["Retry-After"] = "2" })
            : LoopbackInfluxStub.Response.NoContent);
        using var http = new HttpClient();
        await using var writer = WriterHarness.Writer(http, Options(stub.BaseUri));
        await WriteAndFlushAsync(writer, 5, TimeSpan.FromSeconds(20));
        var requests = stub.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms, before Retry-After");
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(5, writer.Metrics.Written);
    }

    [Fact]
    public async Task Unavailable503_WithRetryAfter_IsRetried()
    {
        var calls = 0;
        await using var stub = new LoopbackInfluxStub(_ => Interlocked.Increment(ref calls) <= 2
            ? new(503, "request throttled, queue full", new() { ["Retry-After"] = "1" })
            : LoopbackInfluxStub.Response.NoContent);
        using var http = new HttpClient();
        await using var writer = WriterHarness.Writer(http, Options(stub.BaseUri));
        await WriteAndFlushAsync(writer, 5, TimeSpan.FromSeconds(20));
        var requests = stub.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.True(requests[2].At - requests[0].At >= TimeSpan.FromSeconds(1.9));
        Assert.Equal(2, writer.Metrics.Retries);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_WithGrowingJitteredBackoff()
    {
        var calls = 0;
        await using var stub = new LoopbackInfluxStub(_ => Interlocked.Increment(ref calls) <= 4
            ? new(500, "{\"error\":\"timeout\"}", new() { ["X-Influxdb-Error"] = "timeout" })
            : LoopbackInfluxStub.Response.NoContent);
        using var http = new HttpClient();
        await using var writer = WriterHarness.Writer(http, Options(stub.BaseUri));
        await WriteAndFlushAsync(writer, 5, TimeSpan.FromSeconds(20));
        var at = stub.Requests.Select(r => r.At).ToArray();
        Assert.Equal(5, at.Length);

        // Schedule 50, 100, 200, 400 ms, jittered over the upper half of each step.
        var gaps = at.Zip(at.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.All(gaps.Zip([25.0, 50.0, 100.0, 200.0]), g => Assert.True(g.First >= g.Second - 5, $"gap {g.First} ms below {g.Second} ms"));
        Assert.True(gaps[3] > gaps[0], "backoff grows");
        Assert.Equal(4, writer.Metrics.Retries);
        Assert.Equal(5, writer.Metrics.Written);
    }

    [Fact]
    public async Task NetworkErrors_AreRetried_UntilTheServerAppears()
    {
        var port = LoopbackInfluxStub.FreePort();
        using var http = new HttpClient();
        await using var writer = WriterHarness.Writer(http, Options(new Uri($"http://127.0.0.1:{port}/")));
        using var lines = WriterHarness.Points(7);
        await writer.WriteAsync(lines, CancellationToken.None);
        await Task.Delay(300);
        Assert.True(writer.Metrics.Retries >= 1);
        Assert.Equal(7, writer.Spool.PendingLines);

        await using var stub = new LoopbackInfluxStub(_ => LoopbackInfluxStub.Response.NoContent, port);
        await writer.FlushAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(7, stub.Requests.Single().Lines.Length);
    }

    [Fact]
    public async Task Requests_UseThePathPrefix_Precision_RetentionPolicy_Gzip_AndToken()
    {
        await using var stub = new LoopbackInfluxStub(_ => LoopbackInfluxStub.Response.NoContent);
        using var http = new HttpClient();
        var options = new InfluxConnectionOptions { BaseUri = new Uri(stub.BaseUri, "influx/v1"), Database = "db", RetentionPolicy = "long", Token = "secret" };
        await using var writer = WriterHarness.Writer(http, options);
        await WriteAndFlushAsync(writer, 3, TimeSpan.FromSeconds(10));
        var request = stub.Requests.Single();
        Assert.Equal("/influx/v1/write?db=db&rp=long&precision=ms", request.PathAndQuery);
        Assert.Equal("Token secret", request.Authorization);
        Assert.Equal(3, request.Lines.Length);
    }

    [Fact]
    public void Backoff_HonoursTheLargerOfRetryAfterAndItsOwnSchedule_BothCapped()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), new Random(1));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = Math.Min(60, Math.Pow(2, attempt - 1));
            Assert.InRange(backoff.Delay(attempt, null).TotalSeconds, ceiling / 2, ceiling);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(10), backoff.Delay(1, TimeSpan.FromDays(3)));
    }
}

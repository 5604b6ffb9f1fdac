using System.Text;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;

namespace Sensing.Storage.Tests.Spool;

/// <summary>The behaviour every spool shares (Telegraf's one suite for all buffer strategies); run per implementation.</summary>
public abstract class SpoolSuite
{
    protected abstract ISpool Create(long maxBytes = 64 << 20);

    protected static ReadOnlyMemory<byte> Lines(string name, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(name).Append(" v=").Append(i).Append("i ").Append(i).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    protected static Task Append(ISpool spool, string name, int count = 1, WritePrecision precision = WritePrecision.Milliseconds, string? rp = null)
        => spool.AppendAsync(Lines(name, count), count, precision, rp, CancellationToken.None).AsTask();

    protected static string[] Names(SpoolBatch batch)
        => batch.Records.Select(r => Encoding.UTF8.GetString(r.Lines.Span).Split(' ')[0]).ToArray();

    [Fact]
    public async Task Batch_HandsOutRecordsInAppendOrder()
    {
        await using var spool = Create();
        await Append(spool, "a", 2);
        await Append(spool, "b", 3);
        var batch = spool.BeginBatch(100, 1 << 20)!;
        Assert.Equal(["a", "b"], Names(batch));
        Assert.Equal(5, batch.LineCount);
        Assert.Equal(5, spool.PendingLines);
        spool.EndBatch(batch);
    }

    [Fact]
    public async Task Accepted_AndRejected_Leave_Kept_ComeBackFirst()
    {
        await using var spool = Create();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await Append(spool, name);
        }

        var batch = spool.BeginBatch(3, 1 << 20)!;
        Assert.Equal(["a", "b", "c"], Names(batch));
        batch.Accept(0);
        batch.Reject(2);
        spool.EndBatch(batch);
        Assert.Equal(2, spool.PendingLines);

        var again = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["b", "d"], Names(again));
        again.AcceptAll();
        spool.EndBatch(again);
        Assert.Equal(0, spool.PendingLines);
        Assert.Null(spool.BeginBatch(10, 1 << 20));
    }

    [Fact]
    public async Task KeepAll_IsTheDefault()
    {
        await using var spool = Create();
        await Append(spool, "a");
        spool.EndBatch(spool.BeginBatch(10, 1 << 20)!);
        var batch = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["a"], Names(batch));
        spool.EndBatch(batch);
    }

    [Fact]
    public async Task Batch_StopsAtLineLimit_ButTakesAtLeastOneRecord()
    {
        await using var spool = Create();
        await Append(spool, "big", 50);
        await Append(spool, "next", 1);
        var batch = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["big"], Names(batch));
        batch.AcceptAll();
        spool.EndBatch(batch);
    }

    [Fact]
    public async Task Batch_HoldsOnePrecisionAndRetentionPolicy()
    {
        await using var spool = Create();
        await Append(spool, "a", rp: "short");
        await Append(spool, "b", rp: "long");
        await Append(spool, "c", precision: WritePrecision.Seconds, rp: "long");
        var first = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal("short", first.RetentionPolicy);
        Assert.Equal(["a"], Names(first));
        first.AcceptAll();
        spool.EndBatch(first);
        var second = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal(("long", WritePrecision.Milliseconds), (second.RetentionPolicy, second.Precision));
        Assert.Equal(["b"], Names(second));
        second.AcceptAll();
        spool.EndBatch(second);
        var third = spool.BeginBatch(10, 1 << 20)!;
        Assert.Equal(WritePrecision.Seconds, third.Precision);
        spool.EndBatch(third);
    }

    [Fact]
    public async Task OneBatchInFlight()
    {
        await using var spool = Create();
        await Append(spool, "a");
        var batch = spool.BeginBatch(10, 1 << 20)!;
        Assert.Throws<InvalidOperationException>(() => spool.BeginBatch(10, 1 << 20));
        spool.EndBatch(batch);
    }

    [Fact]
    public async Task Full_AppendWaits_UntilRoomIsFreed_NothingDropped()
    {
        await using var spool = Create(maxBytes: 1 << 20);
        var record = Lines("x", 3000);
        var appended = 0;
        while (spool.Bytes + 2 * (record.Length + 64) <= spool.MaxBytes)
        {
            await spool.AppendAsync(record, 3000, WritePrecision.Milliseconds, null, CancellationToken.None);
            appended++;
        }

        await spool.AppendAsync(record, 3000, WritePrecision.Milliseconds, null, CancellationToken.None);
        appended++;
        var blocked = spool.AppendAsync(record, 3000, WritePrecision.Milliseconds, null, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted, "an append into a full spool must wait (back-pressure)");

        var batch = spool.BeginBatch(3000, 1 << 20)!;
        batch.AcceptAll();
        spool.EndBatch(batch);
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((long)appended * 3000, spool.PendingLines);
    }

    [Fact]
    public async Task RecordLargerThanTheBound_IsRefused()
    {
        await using var spool = Create(maxBytes: 1 << 20);
        var huge = new byte[2 << 20];
        await Assert.ThrowsAsync<ArgumentException>(() => spool.AppendAsync(huge, 1, WritePrecision.Milliseconds, null, CancellationToken.None).AsTask());
    }
}

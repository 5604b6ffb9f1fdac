using Sensing.Storage.LineProtocol;
using Sensing.Storage.Spool;
using Sensing.Testing;

namespace Sensing.Storage.Tests.Spool;

public sealed class DiskSpoolTests : SpoolSuite, IDisposable
{
    private readonly TempFolder _folder = new("sensing-spool");

    public void Dispose() => _folder.Dispose();

    protected override ISpool Create(long maxBytes = 64 << 20) => Open(maxBytes);

    private DiskSpool Open(long maxBytes = 64 << 20, long segmentBytes = 64 << 20)
        => DiskSpool.Open(new SpoolOptions { Directory = _folder.Path, MaxBytes = maxBytes, SegmentBytes = segmentBytes });

    [Fact]
    public async Task Reopen_BringsBackWhatWasNotWritten()
    {
        await using (var spool = Open())
        {
            await Append(spool, "a");
            await Append(spool, "b", 2);
            var batch = spool.BeginBatch(1, 1 << 20)!;
            batch.AcceptAll();
            spool.EndBatch(batch);
        }

        await using var reopened = Open();
        Assert.Equal(2, reopened.PendingLines);
        var again = reopened.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["b"], Names(again));
        reopened.EndBatch(again);
    }

    [Fact]
    public async Task TornTail_IsCutOff_EarlierRecordsSurvive()
    {
        string segment;
        await using (var spool = Open())
        {
            await Append(spool, "a");
            await Append(spool, "b");
            segment = Directory.GetFiles(_folder.Path, "*.seg").Single();
        }

        // A kill -9 in the middle of an append leaves a partial record at the end of the last segment.
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 5);
        }

        await using var reopened = Open();
        Assert.Equal(1, reopened.PendingLines);
        var batch = reopened.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["a"], Names(batch));
        reopened.EndBatch(batch);
        await Append(reopened, "c");
        Assert.Equal(2, reopened.PendingLines);
    }

    [Fact]
    public async Task GarbageTail_WithBadChecksum_IsCutOff()
    {
        await using (var spool = Open())
        {
            await Append(spool, "a");
        }

        var segment = Directory.GetFiles(_folder.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        var copy = bytes.Concat(bytes).ToArray();
        copy[^3] ^= 0xFF;
        File.WriteAllBytes(segment, copy);

        await using var reopened = Open();
        Assert.Equal(1, reopened.PendingLines);
    }

    [Fact]
    public async Task CorruptionBeforeTheLastSegment_StopsTheOpen_NamingTheFile()
    {
        await using (var spool = Open(segmentBytes: 64 << 10))
        {
            for (var i = 0; i < 40; i++)
            {
                await spool.AppendAsync(Lines("r" + i, 300), 300, WritePrecision.Milliseconds, null, CancellationToken.None);
            }
        }

        var first = Directory.GetFiles(_folder.Path, "*.seg").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(first);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(first, bytes);

        var error = Assert.Throws<SpoolCorruptException>(() => Open(segmentBytes: 64 << 10));
        Assert.Equal(first, error.File);
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumedSegments_AreDeleted()
    {
        await using var spool = Open(segmentBytes: 64 << 10);
        for (var i = 0; i < 100; i++)
        {
            await spool.AppendAsync(Lines("r" + i, 300), 300, WritePrecision.Milliseconds, null, CancellationToken.None);
        }

        Assert.True(Directory.GetFiles(_folder.Path, "*.seg").Length > 3);
        while (spool.BeginBatch(5000, 1 << 20) is { } batch)
        {
            batch.AcceptAll();
            spool.EndBatch(batch);
        }

        Assert.Single(Directory.GetFiles(_folder.Path, "*.seg"));
        Assert.Equal(0, spool.Bytes);
    }

    [Fact]
    public async Task LostCheckpoint_MeansResending_NotLosing()
    {
        await using (var spool = Open())
        {
            await Append(spool, "a");
            await Append(spool, "b");
            var batch = spool.BeginBatch(1, 1 << 20)!;
            batch.AcceptAll();
            spool.EndBatch(batch);
        }

        File.Delete(Path.Combine(_folder.Path, "checkpoint"));
        await using var reopened = Open();
        var again = reopened.BeginBatch(10, 1 << 20)!;
        Assert.Equal(["a", "b"], Names(again));
        reopened.EndBatch(again);
    }

    [Fact]
    public void Options_AreCheckedWithoutTouchingTheDisk()
    {
        var missing = Path.Combine(_folder.Path, "never-created");
        Assert.Throws<ArgumentException>(() => new SpoolOptions { Directory = missing, MaxBytes = 10 }.Validate());
        Assert.False(Directory.Exists(missing));
    }
}

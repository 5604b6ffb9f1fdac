namespace Sensing.Recordings.Tests.Csv;

/// <summary>Reading in blocks and from gzip gives the same samples as reading all at once.</summary>
public sealed class CsvStreamingTests : CsvFiles
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    public void Blocks_smaller_than_the_file_give_the_same_samples_as_one_big_block(int blockSize)
    {
        var times = Enumerable.Range(0, 1000).Select(i => (long)Math.Floor(i * 12.5)).ToArray();
        times[600] = times[599] - 3;
        var path = Write("stream.csv", "time (ms),x,y,z", Rows(1000, i => times[i].ToString(), 8192));

        using var whole = Open(path);
        var all = RecordedSamples.ReadAll(whole, 1 << 20);
        using var streamed = Open(path);
        var parts = RecordedSamples.ReadAll(streamed, blockSize);

        Assert.Equal(1, all.Blocks);
        Assert.Equal((1000 + blockSize - 1) / blockSize, parts.Blocks);
        Assert.Equal(all.Time, parts.Time);
        Assert.Equal(all.X, parts.X);
        Assert.Equal(all.Y, parts.Y);
        Assert.Equal(all.Z, parts.Z);
        Assert.Equal(whole.Timeline.Describe(), streamed.Timeline.Describe());
        Assert.Equal(whole.Info.Notes, streamed.Info.Notes);
    }

    [Fact]
    public void A_gzip_csv_reads_the_same_as_the_plain_file()
    {
        var rows = Rows(500, i => (i * 20).ToString()).ToList();
        var plain = Read(Write("plain.csv", "time,x,y,z", rows));
        var zipped = Read(Write("zipped.csv.gz", "time,x,y,z", rows));

        Assert.Equal(500, zipped.Count);
        Assert.Equal(plain.Time, zipped.Time);
        Assert.Equal(plain.X, zipped.X);
        Assert.Equal(plain.Z, zipped.Z);
    }

    [Fact]
    public void Info_is_complete_after_the_first_block()
    {
        var path = Write("info.csv", "time,x,y,z", Rows(1000, i => (i * 20).ToString(), 1000));

        using var reader = Open(path);
        Assert.True(reader.ReadBlock(new Sensing.Core.SampleBlock(10)));

        Assert.Equal(TimeUnit.Milliseconds, reader.Info.TimeUnit);
        Assert.Equal(AccelerationUnit.MilliG, reader.Info.Units);
        Assert.Equal(10, reader.Timeline.Samples);
    }
}

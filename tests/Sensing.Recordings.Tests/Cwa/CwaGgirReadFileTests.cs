using Sensing.Recordings.Cwa;
using Sensing.Testing;

namespace Sensing.Recordings.Tests.Cwa;

/// <summary>
/// The real AX3/AX6 files of GGIRread's test suite, against the figures its own tests assert.
/// </summary>
/// <remarks>
/// GGIRread resamples every file to exactly the configured rate (and imputes across gaps), so its row count is
/// (time span × configured rate) where ours is the samples stored: these AX3 and AX6 clocks run slightly slow
/// (98.8 Hz for a 100 Hz setting), so GGIRread has about 1% more rows, and its sum of |x|+|y|+|z| grows with them.
/// The tests therefore check our raw figures exactly and GGIRread's through what they measure: the time span and
/// the mean per sample.
/// </remarks>
public sealed class CwaGgirReadFileTests
{
    private const string Folder = "cwa-ggirread";

    private static string File(string name) => Path.Combine(SharedData.Folder(Folder)!, name);

    [SharedDataFact(Folder)]
    public void Ax3_file_matches_ggirread_counts_sum_and_clock()
    {
        using var reader = RecordingReader.Open(File("ax3_testfile.cwa"), new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        // 145 data blocks × 120 packed samples, all stored samples.
        Assert.Equal(17_400, samples.Count);
        var sum = Enumerable.Range(0, samples.Count).Sum(i => (double)Math.Abs(samples.X[i]) + Math.Abs(samples.Y[i]) + Math.Abs(samples.Z[i]));
        Assert.Equal(25_160, Math.Floor(sum));

        // GGIRread: 17,599 rows at 100 Hz over the same span, floor(sum) 25,367.
        Assert.InRange((reader.Timeline.DurationSeconds * 100) + 1, 17_599 - 3, 17_599 + 3); // measured: 17,600.3
        Assert.InRange(sum / samples.Count, 25_367.0 / 17_599 * 0.99, 25_367.0 / 17_599 * 1.01);

        // GGIRread: the first sample of block 1 reads 2019-02-26 10:55:07.215 on the device clock.
        var block1 = new DateTime(2019, 2, 26, 10, 55, 7, 215, DateTimeKind.Unspecified);
        Assert.InRange(samples.Time[120] - RecordedSamples.Micros(block1), 0, 999);

        Assert.False(reader.Timeline.HasAnomalies, reader.Timeline.Describe());
        Assert.InRange(reader.Timeline.MeasuredRateHz, 98.5, 99.2);
        Assert.InRange(reader.Info.NominalRateHz, 98.5, 99.2); // from block 0, the pipeline's rate before the file is read through
        Assert.Equal(256, reader.Info.CountsPerG);
        Assert.Contains("Axivity AX3, device 39434, session 26: configured 100 Hz, ±8 g", reader.Info.Notes);
    }

    [SharedDataFact(Folder)]
    public void Ax6_file_matches_ggirread_span_and_reads_accelerometer_in_g()
    {
        using var reader = RecordingReader.Open(File("ax6_testfile.cwa"), new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        // 283 data blocks × 40 six-axis samples; GGIRread: 11,428 rows at 100 Hz over the same span.
        Assert.Equal(11_320, samples.Count);
        Assert.InRange((reader.Timeline.DurationSeconds * 100) + 1, 11_428 - 3, 11_428 + 3); // measured: 11,430.0
        Assert.Equal(2048, reader.Info.CountsPerG);

        // Gravity: the median magnitude is 1 g (the gyroscope triple, read by mistake, would give about 0.65).
        var magnitudes = Enumerable.Range(0, samples.Count)
            .Select(i => Math.Sqrt((samples.X[i] * samples.X[i]) + (samples.Y[i] * samples.Y[i]) + (samples.Z[i] * samples.Z[i])))
            .Order().ToList();
        Assert.InRange(magnitudes[magnitudes.Count / 2], 0.97, 1.03);
        Assert.False(reader.Timeline.HasAnomalies, reader.Timeline.Describe());
    }

    [SharedDataFact(Folder)]
    public void Corrupt_blocks_are_skipped_named_and_the_rest_equals_the_clean_file()
    {
        int[] corrupt = [0, 13, 14, 142, 143, 144];
        var clean = RecordedSamples.ReadAll(File("ax3_testfile.cwa"));
        using var reader = RecordingReader.Open(File("ax3_testfile_corrupt_blocks_0_13_14_142_143_144.cwa"), new RecordingOptions());
        var kept = RecordedSamples.ReadAll(reader);

        var cwa = Assert.IsType<CwaRecordingReader>(reader);
        Assert.Equal(corrupt.Select(i => (long)i), cwa.SkippedBlocks);
        Assert.Equal(6, reader.Timeline.CorruptUnits);
        Assert.Contains("skipped 6 damaged block(s) (numbered from 0 after the header): 0, 13, 14, 142, 143, 144", reader.Info.Notes);
        Assert.StartsWith("block 0: checksum failed", reader.Timeline.Locations[0], StringComparison.Ordinal);

        // Every other block is kept with the clean file's values; its times too, except the blocks just before a
        // hole (12, 141), which cannot be spread up to a successor and continue at the measured rate instead.
        var keptBlocks = Enumerable.Range(0, 145).Except(corrupt).ToList();
        Assert.Equal(keptBlocks.Count * 120, kept.Count);
        for (var k = 0; k < keptBlocks.Count; k++)
        {
            var block = keptBlocks[k];
            for (var i = 0; i < 120; i++)
            {
                var (c, s) = ((block * 120) + i, (k * 120) + i);
                Assert.Equal(clean.X[c], kept.X[s]);
                Assert.Equal(clean.Y[c], kept.Y[s]);
                Assert.Equal(clean.Z[c], kept.Z[s]);
                if (block is not (12 or 141))
                {
                    Assert.Equal(clean.Time[c], kept.Time[s]);
                }
                else
                {
                    Assert.InRange(kept.Time[s] - clean.Time[c], -2_000, 2_000);
                }
            }
        }

        // Blocks 13-14 are a 2.4 s hole: longer than the 2 s gap threshold, so the pipeline sees a gap there.
        Assert.Equal(1, reader.Timeline.Gaps);
    }

    [SharedDataFact(Folder)]
    public void A_real_file_cut_mid_block_keeps_every_whole_block()
    {
        using var folder = new TempFolder("cwa-cut");
        var bytes = System.IO.File.ReadAllBytes(File("ax3_testfile.cwa"));
        var path = folder.File("cut.cwa");
        System.IO.File.WriteAllBytes(path, bytes[..(1024 + (50 * 512) + 300)]);

        var clean = RecordedSamples.ReadAll(File("ax3_testfile.cwa"));
        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var cut = RecordedSamples.ReadAll(reader);

        Assert.Equal(50 * 120, cut.Count);
        Assert.Equal(clean.X.Take(6000), cut.X);
        Assert.Equal([50L], Assert.IsType<CwaRecordingReader>(reader).SkippedBlocks);
        Assert.Contains("block 50: file ends inside the block (300 of 512 bytes)", reader.Timeline.Locations);
    }

    [SharedDataFact(Folder)]
    public void Streaming_in_small_blocks_gives_the_same_samples()
    {
        var whole = RecordedSamples.ReadAll(File("ax6_testfile.cwa"), blockSize: 1 << 20);
        var small = RecordedSamples.ReadAll(File("ax6_testfile.cwa"), blockSize: 33);

        Assert.Equal(whole.Time, small.Time);
        Assert.Equal(whole.X, small.X);
        Assert.Equal(whole.Y, small.Y);
        Assert.Equal(whole.Z, small.Z);
    }
}

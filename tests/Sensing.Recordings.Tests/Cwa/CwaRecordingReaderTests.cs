using Sensing.Core;
using Sensing.Recordings.Cwa;
using Sensing.Testing;

namespace Sensing.Recordings.Tests.Cwa;

/// <summary>The .cwa reader on files built byte by byte: decoding, timing, damage. Needs no shared data.</summary>
public sealed class CwaRecordingReaderTests : IDisposable
{
    private static readonly DateTime T = new(2024, 3, 5, 10, 0, 5, DateTimeKind.Unspecified);
    private readonly TempFolder _folder = new("cwa-reader");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Packed_samples_decode_with_sign_and_exponent_in_units_of_1_256_g()
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, [(1, 2, 256), (-512, 511, 0), (1000, -2000, 256), (-4096, 4088, -8)])
            .WriteTo(_folder.File("packed.cwa"));

        var samples = RecordedSamples.ReadAll(path);

        Assert.Equal([1 / 256f, -2f, 1000 / 256f, -16f], samples.X);
        Assert.Equal([2 / 256f, 511 / 256f, -2000 / 256f, 4088 / 256f], samples.Y);
        Assert.Equal([1f, 0f, 1f, -8 / 256f], samples.Z);
    }

    [Fact]
    public void Sixteen_bit_ax3_samples_are_1_256_g()
    {
        var path = new CwaFileBuilder()
            .Unpacked(0, T, 0, 3, [[256, -512, 128], [-1, 0, 32767]])
            .WriteTo(_folder.File("unpacked.cwa"));

        var samples = RecordedSamples.ReadAll(path);

        Assert.Equal([1f, -1 / 256f], samples.X);
        Assert.Equal([-2f, 0f], samples.Y);
        Assert.Equal([0.5f, 32767 / 256f], samples.Z);
    }

    [Theory]
    [InlineData((ushort)0x6000, CwaFileBuilder.Rate100Hz8G, 2048)] // scale in the block: 1/2^(8+3) g
    [InlineData((ushort)0x0000, CwaFileBuilder.Rate100Hz16G, 2048)] // no scale in the block: ±16 g over int16
    [InlineData((ushort)0x0000, CwaFileBuilder.Rate100Hz8G, 4096)] // ±8 g over int16
    public void Ax6_takes_the_accelerometer_triple_after_the_gyroscope(ushort lightScale, byte rateCode, int countsPerG)
    {
        var path = new CwaFileBuilder(hardwareType: 0x64, rateCode: rateCode)
            .Unpacked(0, T, 0, 6, [[1000, -1000, 500, 0, 0, (short)countsPerG], [7, 8, 9, (short)(countsPerG / 2), (short)-countsPerG, 0]], lightScale)
            .WriteTo(_folder.File("ax6.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal([0f, 0.5f], samples.X);
        Assert.Equal([0f, -1f], samples.Y);
        Assert.Equal([1f, 0f], samples.Z);
        Assert.Equal(countsPerG, reader.Info.CountsPerG);
        Assert.Contains(reader.Info.Notes, n => n.Contains("AX6", StringComparison.Ordinal));
    }

    [Fact]
    public void First_sample_time_undoes_the_fractional_shim_as_cwa_convert_does()
    {
        // Fraction 0x2010/32768 s = 0.25048828125 s; the firmware moved the offset back by the 25 samples it spans,
        // so sample 100 + 25 is at 10:00:05.2505 and sample 0 at 10:00:04.000488 (1.25 s earlier at 100 Hz).
        var path = new CwaFileBuilder()
            .Packed(0, T, 100, CwaFileBuilder.Ramp(120), fraction: 0x2010)
            .WriteTo(_folder.File("fraction.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(RecordedSamples.Micros(T) - 999_512, samples.Time[0]);
        Assert.Equal(samples.Time[0] + 10_000, samples.Time[1]); // a lone block runs at its nominal rate
        Assert.Equal(100, reader.Info.NominalRateHz, 9);
    }

    [Fact]
    public void Old_firmware_without_fraction_times_sample_offset_at_the_whole_second()
    {
        var path = new CwaFileBuilder().Packed(0, T, 30, CwaFileBuilder.Ramp(120)).WriteTo(_folder.File("old.cwa"));

        var samples = RecordedSamples.ReadAll(path);

        Assert.Equal(RecordedSamples.Micros(T), samples.Time[30]);
    }

    [Fact]
    public void Samples_are_spread_evenly_up_to_the_next_block_and_the_last_block_keeps_the_measured_rate()
    {
        // Block starts at T, T+1.23 s, T+2.45 s: 120 samples over 1.23 s then 1.22 s (a device running slow).
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(1, T.AddSeconds(1), -23, CwaFileBuilder.Ramp(120, 120))
            .Packed(2, T.AddSeconds(2), -45, CwaFileBuilder.Ramp(120, 240))
            .WriteTo(_folder.File("drift.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        var t0 = RecordedSamples.Micros(T);
        Assert.Equal(360, samples.Count);
        Assert.Equal(t0 + 10_250, samples.Time[1]);
        Assert.Equal(t0 + (119 * 10_250), samples.Time[119]);
        Assert.Equal(t0 + 1_230_000, samples.Time[120]);
        Assert.Equal(t0 + 1_230_000 + (long)Math.Round(119 * 1_220_000 / 120.0), samples.Time[239]);
        Assert.Equal(t0 + 2_450_000, samples.Time[240]);
        Assert.Equal(t0 + 2_450_000 + (long)Math.Round(119 * 1_220_000 / 120.0), samples.Time[359]);
        Assert.Equal(RecordingClock.LocalUnspecified, reader.Info.Clock);
        Assert.False(reader.Timeline.HasAnomalies);
        Assert.InRange(reader.Timeline.MeasuredRateHz, 97.9, 98.3);
        Assert.Equal(1e6 / 10_250, reader.Info.NominalRateHz, 9);
    }

    [Fact]
    public void A_missing_stretch_is_a_gap_and_the_block_before_it_runs_at_nominal_rate()
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(5, T.AddSeconds(6), 0, CwaFileBuilder.Ramp(120))
            .WriteTo(_folder.File("gap.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(RecordedSamples.Micros(T) + (119 * 10_000), samples.Time[119]);
        Assert.Equal(1, reader.Timeline.Gaps);
        Assert.Equal(4.81, reader.Timeline.GapSeconds, 3);
        Assert.StartsWith("block 1: gap of 4.81", reader.Timeline.Locations.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_restart_with_an_earlier_clock_is_a_reported_clock_reset()
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(0, T.AddMinutes(-10), 0, CwaFileBuilder.Ramp(120))
            .WriteTo(_folder.File("restart.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(240, samples.Count);
        Assert.Equal(1, reader.Timeline.ClockResets);
        Assert.StartsWith("block 1: clock went back", reader.Timeline.Locations.Single(), StringComparison.Ordinal);
        Assert.True(samples.Time.Zip(samples.Time.Skip(1)).All(p => p.Second > p.First), "times handed out never go back");
    }

    [Fact]
    public void A_block_with_a_bad_checksum_is_skipped_counted_and_named_and_the_rest_kept()
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(1, T.AddSeconds(1), -20, CwaFileBuilder.Ramp(120, 120)).DamageLast()
            .Packed(2, T.AddSeconds(2), -40, CwaFileBuilder.Ramp(120, 240))
            .WriteTo(_folder.File("damaged.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(240, samples.Count);
        Assert.Equal(Enumerable.Range(0, 120).Concat(Enumerable.Range(240, 120)).Select(i => i % 500 / 256f), samples.X);
        var cwa = Assert.IsType<CwaRecordingReader>(reader);
        Assert.Equal([1L], cwa.SkippedBlocks);
        Assert.Equal(1, reader.Timeline.CorruptUnits);
        Assert.Contains("block 1: checksum failed; block skipped", reader.Timeline.Locations);
        Assert.Contains("skipped 1 damaged block(s) (numbered from 0 after the header): 1", reader.Info.Notes);
        Assert.Contains("1 corrupt block(s) skipped", reader.Timeline.Describe(), StringComparison.Ordinal);

        // The 1.21 s hole is under the gap threshold: 120 dropped samples, left out of the measured rate.
        Assert.Equal(0, reader.Timeline.Gaps);
        Assert.Equal(120, reader.Timeline.DroppedSamples);
        Assert.Equal(100, reader.Timeline.MeasuredRateHz, 6);
    }

    [Fact]
    public void Unwritten_sectors_are_ignored_and_noted_but_are_not_damage()
    {
        var blank = Enumerable.Repeat((byte)0xff, 512).ToArray();
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Raw(blank).Raw(blank)
            .WriteTo(_folder.File("blank-tail.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(120, samples.Count);
        Assert.Equal(0, reader.Timeline.CorruptUnits);
        Assert.Contains("ignored 2 sector(s) that are not data blocks", reader.Info.Notes);
    }

    [Fact]
    public void A_file_cut_mid_block_keeps_the_whole_blocks_and_reports_the_cut_one()
    {
        var bytes = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(1, T.AddSeconds(1), -20, CwaFileBuilder.Ramp(120, 120))
            .ToBytes();
        var path = _folder.File("cut.cwa");
        File.WriteAllBytes(path, bytes[..^200]);

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(120, samples.Count);
        Assert.Equal([1L], Assert.IsType<CwaRecordingReader>(reader).SkippedBlocks);
        Assert.Contains("block 1: file ends inside the block (312 of 512 bytes)", reader.Timeline.Locations);
    }

    [Fact]
    public void A_file_that_is_not_cwa_is_refused_with_a_message_naming_it()
    {
        var path = _folder.File("really-a-csv.cwa");
        File.WriteAllText(path, "time,x,y,z\n0,0,0,1\n");

        var ex = Assert.Throws<RecordingFormatException>(() => RecordingReader.Open(path, new RecordingOptions()));

        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ": not an Axivity .cwa file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("74696D652C782C79", ex.Message, StringComparison.Ordinal); // "time,x,y" in hex
    }

    [Fact]
    public void A_header_cut_short_is_refused()
    {
        var path = _folder.File("short-header.cwa");
        File.WriteAllBytes(path, new CwaFileBuilder().ToBytes()[..600]);

        var ex = Assert.Throws<RecordingFormatException>(() => RecordingReader.Open(path, new RecordingOptions()));

        Assert.Equal($"{path}: file ends inside the .cwa header (600 of 1024 bytes)", ex.Message);
    }

    [Fact]
    public void An_empty_file_has_no_samples_and_no_error()
    {
        var path = _folder.File("empty.cwa");
        File.WriteAllBytes(path, []);

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(0, samples.Count);
        Assert.Equal(0, reader.Timeline.Samples);
        Assert.False(reader.Timeline.HasAnomalies);
    }

    [Fact]
    public void A_header_without_data_has_no_samples_and_names_the_device()
    {
        var path = new CwaFileBuilder(deviceId: 4321, sessionId: 99).WriteTo(_folder.File("header-only.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(0, samples.Count);
        Assert.Contains("Axivity AX3, device 4321, session 99: configured 100 Hz, ±8 g", reader.Info.Notes);
        var cwa = Assert.IsType<CwaRecordingReader>(reader);
        Assert.Equal(4321u, cwa.DeviceId);
        Assert.Equal(99u, cwa.SessionId);
    }

    [Fact]
    public void An_imposed_rate_times_samples_by_index_from_the_first_sample()
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(1, T.AddSeconds(1), -23, CwaFileBuilder.Ramp(120, 120))
            .WriteTo(_folder.File("rate.cwa"));

        using var reader = RecordingReader.Open(path, new RecordingOptions { RateHz = 50 });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(50, reader.Info.NominalRateHz);
        var t0 = RecordedSamples.Micros(T);
        Assert.Equal(Enumerable.Range(0, 240).Select(i => t0 + (i * 20_000L)), samples.Time);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(120)]
    [InlineData(121)]
    public void Small_blocks_give_the_same_samples_as_one_big_block(int blockSize)
    {
        var path = new CwaFileBuilder()
            .Packed(0, T, 0, CwaFileBuilder.Ramp(120))
            .Packed(1, T.AddSeconds(1), -23, CwaFileBuilder.Ramp(120, 120)).DamageLast()
            .Packed(2, T.AddSeconds(2), -45, CwaFileBuilder.Ramp(120, 240))
            .Packed(3, T.AddSeconds(3), -67, CwaFileBuilder.Ramp(120, 360))
            .WriteTo(_folder.File("blocks.cwa"));

        var whole = RecordedSamples.ReadAll(path, blockSize: 100_000);
        var small = RecordedSamples.ReadAll(path, blockSize: blockSize);

        Assert.Equal(360, whole.Count);
        Assert.Equal(whole.Time, small.Time);
        Assert.Equal(whole.X, small.X);
        Assert.Equal(whole.Z, small.Z);
        Assert.Equal((360 + blockSize - 1) / blockSize, small.Blocks);
    }
}

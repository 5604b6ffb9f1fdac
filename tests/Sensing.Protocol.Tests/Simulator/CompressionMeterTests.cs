using Sensing.Simulator.Measurement;
using Sensing.Simulator.Motion;

namespace Sensing.Protocol.Tests.Simulator;

/// <summary>The compression figures' instrument (<c>sensing protocol compression</c>) on a minute of generated motion.</summary>
public sealed class CompressionMeterTests
{
    private static IReadOnlyList<CompressionFigure> Minute(MotionKind kind)
        => CompressionMeter.Measure(
            kind.ToString(),
            () => new MotionSampleSource(new MotionGenerator([new MotionSegment(kind, TimeSpan.FromMinutes(1))], 100, seed: 2)),
            rateCode: 3, rangeCode: 2, mtus: [23, 247], maxSamples: 6000);

    [Fact]
    public void Figures_cover_flash_and_each_mtu_and_count_every_sample_once()
    {
        var figures = Minute(MotionKind.Walking);
        Assert.Equal([0, 23, 247], figures.Select(f => f.Mtu));
        Assert.All(figures, f => Assert.Equal(6000, f.Samples));
        var flash = figures[0];
        Assert.InRange(flash.Bytes, flash.Frames * 20, flash.Frames * 244);

        // MTU 23 carries one walking sample per 20-byte frame; 244-byte frames carry dozens.
        Assert.Equal(20.0, figures[1].BytesPerSample);
        Assert.Equal(6000, figures[1].Frames);
        Assert.InRange(figures[2].BytesPerSample, 2.0, CompressionFigure.RawBytesPerSample);
    }

    [Fact]
    public void Sitting_compresses_better_than_walking_and_both_beat_raw_in_flash()
    {
        var walking = Minute(MotionKind.Walking)[0];
        var sitting = Minute(MotionKind.Sitting)[0];
        Assert.True(sitting.BytesPerSample < walking.BytesPerSample, $"sitting {sitting.BytesPerSample:F2} B, walking {walking.BytesPerSample:F2} B");
        Assert.True(walking.CompressionRatio > 1, $"walking {walking.BytesPerSample:F2} B per sample");
    }
}

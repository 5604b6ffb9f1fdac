using Sensing.Signal.Resampling;

namespace Sensing.Signal.Tests.Resampling;

public sealed class UniformResamplerTests
{
    private struct Recorder : IGridSink
    {
        public List<(long Time, float Value)> Samples;
        public List<(long From, long To)> Gaps;

        public void Sample(long timeMicros, in GridSample value) => Samples.Add((timeMicros, value.M));

        public void Gap(long fromMicros, long toMicros) => Gaps.Add((fromMicros, toMicros));
    }

    [Fact]
    public void JitteryRamp_IsInterpolatedExactlyOntoTheGrid()
    {
        var resampler = new UniformResampler(25, TimeSpan.FromSeconds(2));
        var sink = new Recorder { Samples = [], Gaps = [] };
        var random = new Random(3);
        long t = 13_000;
        for (var i = 0; i < 1000; i++)
        {
            resampler.Push(t, new GridSample(0, 0, 0, t / 1e6f), ref sink);
            t += 80_000 + random.Next(-5_000, 5_000); // 12.5 Hz with jitter
        }

        Assert.NotEmpty(sink.Samples);
        Assert.Empty(sink.Gaps);
        Assert.All(sink.Samples, s => Assert.Equal(0, s.Time % 40_000));
        Assert.All(sink.Samples, s => Assert.Equal(s.Time / 1e6, s.Value, 3));
        Assert.All(sink.Samples.Zip(sink.Samples.Skip(1)), p => Assert.Equal(40_000, p.Second.Time - p.First.Time));
    }

    [Fact]
    public void Gap_IsReported_AndNothingIsInterpolatedAcrossIt()
    {
        var resampler = new UniformResampler(25, TimeSpan.FromSeconds(2));
        var sink = new Recorder { Samples = [], Gaps = [] };
        for (long t = 0; t <= 1_000_000; t += 10_000)
        {
            resampler.Push(t, default, ref sink);
        }

        for (long t = 5_000_000; t <= 6_000_000; t += 10_000)
        {
            resampler.Push(t, default, ref sink);
        }

        Assert.Equal([(1_000_000L, 5_000_000L)], sink.Gaps);
        Assert.DoesNotContain(sink.Samples, s => s.Time is > 1_000_000 and < 5_000_000);
        Assert.Equal(26 + 26, sink.Samples.Count);
    }
}

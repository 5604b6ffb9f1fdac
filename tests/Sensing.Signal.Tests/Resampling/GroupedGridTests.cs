using Sensing.Core;
using Sensing.Signal.Resampling;

namespace Sensing.Signal.Tests.Resampling;

public sealed class GroupedGridTests
{
    // A grid point as the sink saw it; Value is the channels' sum, for tests that feed one signal to all three.
    private readonly record struct GridPoint(long Time, float X, float Y, float Z)
    {
        public float Value => X + Y + Z;
    }

    private struct Recorder : IGridSink
    {
        public List<GridPoint> Samples;
        public List<(long From, long To)> Gaps;

        readonly void IGridSink.Samples(ReadOnlySpan<long> timeMicros, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
        {
            for (var i = 0; i < timeMicros.Length; i++)
            {
                Samples.Add(new GridPoint(timeMicros[i], x[i], y[i], z[i]));
            }
        }

        public readonly void Gap(long fromMicros, long toMicros) => Gaps.Add((fromMicros, toMicros));
    }

    private static Recorder NewRecorder() => new() { Samples = [], Gaps = [] };

    private static float[] Zeros(int n) => new float[n];

    [Fact]
    public void Without_a_nominal_rate_the_group_size_is_measured_from_the_first_samples()
    {
        var grid = new GroupedGrid(null, 80_000, TimeSpan.FromSeconds(1), vectorised: true);
        var sink = NewRecorder();
        var t = Enumerable.Range(0, 100).Select(i => i * 10_000L).ToArray();
        grid.Push(t, Zeros(100), Zeros(100), Zeros(100), ref sink);
        Assert.Equal(8, grid.GroupSize);
        Assert.NotEmpty(sink.Samples);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(12.5, 1)]
    [InlineData(25, 2)]
    [InlineData(50, 4)]
    [InlineData(100, 8)]
    [InlineData(200, 16)]
    public void The_group_spans_at_most_one_grid_period(double rate, int group)
        => Assert.Equal(group, new GroupedGrid(rate, 80_000, TimeSpan.FromSeconds(2), vectorised: true).GroupSize);

    [Fact]
    public void A_jittery_ramp_lands_on_the_grid_at_multiples_of_the_period()
    {
        var grid = new GroupedGrid(100, 80_000, TimeSpan.FromSeconds(2), vectorised: true);
        var sink = NewRecorder();
        var random = new Random(3);
        var t = new long[20_000];
        var v = new float[t.Length];
        long time = 13_000;
        for (var i = 0; i < t.Length; i++)
        {
            t[i] = time;
            v[i] = time / 1e6f;
            time += 10_000 + random.Next(-1_000, 1_000); // 100 Hz with jitter
        }

        grid.Push(t, v, Zeros(t.Length), Zeros(t.Length), ref sink);
        Assert.NotEmpty(sink.Samples);
        Assert.Empty(sink.Gaps);
        Assert.All(sink.Samples, s => Assert.Equal(0, s.Time % 80_000));
        Assert.All(sink.Samples.Zip(sink.Samples.Skip(1)), p => Assert.Equal(80_000, p.Second.Time - p.First.Time));

        // A ramp's group mean sits on the ramp at the group's centre, so the interpolated value is the time (to jitter).
        Assert.All(sink.Samples, s => Assert.Equal(s.Time / 1e6, s.Value, 2));
    }

    [Fact]
    public void A_gap_is_reported_and_nothing_is_interpolated_across_it()
    {
        var grid = new GroupedGrid(100, 80_000, TimeSpan.FromSeconds(2), vectorised: true);
        var sink = NewRecorder();
        var t = new List<long>();
        for (long time = 0; time <= 1_000_000; time += 10_000)
        {
            t.Add(time);
        }

        for (long time = 5_000_000; time <= 6_000_000; time += 10_000)
        {
            t.Add(time);
        }

        grid.Push(t.ToArray(), Zeros(t.Count), Zeros(t.Count), Zeros(t.Count), ref sink);
        Assert.Single(sink.Gaps);
        Assert.DoesNotContain(sink.Samples, s => s.Time is > 1_000_000 and < 5_000_000);
    }

    [Fact]
    public void A_step_back_in_time_is_a_gap_not_a_negative_interval()
    {
        var grid = new GroupedGrid(12.5, 80_000, TimeSpan.FromSeconds(2), vectorised: true);
        var sink = NewRecorder();
        long[] t = [0, 80_000, 160_000, 240_000, 100_000, 180_000, 260_000];
        grid.Push(t, Zeros(t.Length), Zeros(t.Length), Zeros(t.Length), ref sink);
        Assert.Single(sink.Gaps);
        Assert.All(sink.Samples.Zip(sink.Samples.Skip(1)), p => Assert.True(p.Second.Time != p.First.Time));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    [InlineData(200)]
    public void Any_cutting_into_blocks_gives_the_same_points_bit_for_bit(double rate)
    {
        var random = new Random(11);
        var n = 30_000;
        var t = new long[n];
        var v = new float[n];
        long time = 0;
        for (var i = 0; i < n; i++)
        {
            t[i] = time;
            v[i] = (float)Math.Sin(i * 0.05) + (float)random.NextDouble();
            time += (long)(1e6 / rate) + random.Next(-500, 500);
        }

        var whole = NewRecorder();
        new GroupedGrid(rate, 80_000, TimeSpan.FromSeconds(2), vectorised: true).Push(t, v, v, v, ref whole);
        foreach (var vectorised in new[] { true, false })
        {
            var cut = NewRecorder();
            var grid = new GroupedGrid(rate, 80_000, TimeSpan.FromSeconds(2), vectorised);
            for (var i = 0; i < n;)
            {
                var size = Math.Min(n - i, random.Next(1, 300));
                grid.Push(t.AsSpan(i, size), v.AsSpan(i, size), v.AsSpan(i, size), v.AsSpan(i, size), ref cut);
                i += size;
            }

            Assert.Equal(whole.Samples, cut.Samples);
        }
    }

    [Theory]
    [InlineData(10, 8192f)]
    [InlineData(12.5, 8192f)]
    [InlineData(25, 4096f)]
    [InlineData(30, 8192f)]
    [InlineData(50, 16384f)]
    [InlineData(100, 8192f)]
    [InlineData(200, 2048f)]
    [InlineData(100, 1000f)]
    public void Raw_counts_give_the_points_of_the_same_samples_in_g_bit_for_bit(double rate, float countsPerG)
    {
        // Runs as frames carry them (a fixed period within each), mostly back to back, some after a gap or a step back.
        var random = new Random((int)(rate * 10) + (int)countsPerG);
        var period = (long)Math.Round(1e6 / rate);
        var runs = new List<(long First, short[] X, short[] Y, short[] Z)>();
        long next = 123_456;
        var phase = 0.0;
        for (var r = 0; r < 40; r++)
        {
            var n = random.Next(1, 1500);
            var (x, y, z) = (new short[n], new short[n], new short[n]);
            for (var i = 0; i < n; i++, phase += 0.07)
            {
                x[i] = (short)((Math.Sin(phase) * 12_000) + random.Next(-3000, 3000));
                y[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
                z[i] = (short)((Math.Cos(phase) * 20_000) + random.Next(-50, 50));
            }

            runs.Add((next, x, y, z));
            next += n * period;
            next += random.Next(10) switch { 0 => 5_000_000, 1 => -1_000_000, _ => 0 };
        }

        // The same samples in g, as a recording reader would hand them over: one time per sample.
        var scale = 1f / countsPerG;
        var times = runs.SelectMany(run => run.X.Select((_, i) => run.First + (i * period))).ToArray();
        float[] InG(Func<(long First, short[] X, short[] Y, short[] Z), short[]> axis) => runs.SelectMany(axis).Select(c => c * scale).ToArray();
        var expected = NewRecorder();
        new GroupedGrid(rate, 80_000, TimeSpan.FromSeconds(2), vectorised: false)
            .Push(times, InG(run => run.X), InG(run => run.Y), InG(run => run.Z), ref expected);
        Assert.True(expected.Samples.Count > 100);
        Assert.NotEmpty(expected.Gaps);

        foreach (var vectorised in new[] { true, false })
        {
            var actual = NewRecorder();
            var grid = new GroupedGrid(rate, 80_000, TimeSpan.FromSeconds(2), vectorised);
            foreach (var run in runs)
            {
                var whole = new RawSamples(run.First, period, countsPerG, run.X, run.Y, run.Z);
                for (var i = 0; i < whole.Count;)
                {
                    var size = Math.Min(whole.Count - i, random.Next(1, 700));
                    grid.Push(whole.Slice(i, size), ref actual);
                    i += size;
                }
            }

            Assert.Equal(expected.Gaps, actual.Gaps);
            Assert.Equal(expected.Samples, actual.Samples);
        }
    }
}

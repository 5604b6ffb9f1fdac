using Sensing.Activity.Model;
using Sensing.Core;

namespace Sensing.Activity.Tests;

public class ActivityPipelineTests
{
    private static List<ActivityWindow> Run(Action<ActivityPipeline> feed)
    {
        var pipeline = new ActivityPipeline(ActivityModel.LoadDefault());
        feed(pipeline);
        pipeline.Complete();
        var windows = new List<ActivityWindow>();
        while (pipeline.TryDequeue(out var w))
        {
            windows.Add(w);
        }

        return windows;
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 100)]
    [InlineData(3, 1000)]
    [InlineData(4, 5000)]
    public void The_same_windows_whatever_the_block_cuts(int seed, int maxBlock)
    {
        // 3 minutes walking, 3 minutes still: windows of both kinds and a change between them.
        var whole = SyntheticRecording.Make(360, seed, still: t => t >= 180);
        var expected = Run(p => p.Push(whole));
        var cut = Run(p => SyntheticRecording.PushInRandomBlocks(whole, seed * 31, maxBlock, p.Push));
        Assert.True(expected.Count >= 34, $"expected 34-36 windows of 10 s, got {expected.Count}");
        Assert.Equal(expected, cut);
    }

    [Fact]
    public void Windows_are_aligned_to_ten_seconds_and_in_time_order()
    {
        var windows = Run(p => p.Push(SyntheticRecording.Make(125, 9)));
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.Equal(0, w.StartMicros % 10_000_000));
        Assert.All(windows, w => Assert.Equal(10_000_000, w.EndMicros - w.StartMicros));
        Assert.Equal(windows.OrderBy(w => w.StartMicros), windows);
    }

    [Fact]
    public void Rhythmic_swing_is_classified_as_locomotion()
    {
        var windows = Run(p => p.Push(SyntheticRecording.Make(120, 3)));
        Assert.All(windows, w => Assert.Contains(w.Class, new[] { ActivityClass.Walking, ActivityClass.Stairs, ActivityClass.Running }));
    }

    [Fact]
    public void A_recording_shorter_than_a_window_gives_no_window()
    {
        Assert.Empty(Run(p => p.Push(SyntheticRecording.Make(8, 1))));
        Assert.Empty(Run(_ => { }));
        Assert.Empty(Run(p => p.Push(SyntheticRecording.Make(0.05, 1))));
    }

    [Fact]
    public void A_gap_drops_only_the_windows_it_touches()
    {
        var first = SyntheticRecording.Make(60, 1, startMicros: 0);
        var second = SyntheticRecording.Make(60, 2, startMicros: 95_000_000);
        var windows = Run(p =>
        {
            p.Push(first);
            p.Push(second);
        });
        Assert.DoesNotContain(windows, w => w.StartMicros >= 60_000_000 && w.StartMicros < 100_000_000);
        Assert.Contains(windows, w => w.StartMicros == 100_000_000);
        Assert.Contains(windows, w => w.StartMicros == 40_000_000);
    }

    [Theory]
    [InlineData(12.5)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(200)]
    public void Other_rates_give_the_same_window_grid(double rate)
    {
        var windows = Run(p => p.Push(SyntheticRecording.Make(60, 4, startMicros: 0, rateHz: rate)));
        // The first window needs a decimated point at t = 0 exactly, which a stream starting at 0 cannot give.
        Assert.Equal(Enumerable.Range(1, 4).Select(i => i * 10_000_000L), windows.Select(w => w.StartMicros).Take(4));
    }

    [Fact]
    public void Magnitude_only_input_is_reported_as_other()
    {
        var axes = SyntheticRecording.Make(60, 5);
        var magnitude = new SampleBlock(axes.Count, hasAxes: false);
        for (var i = 0; i < axes.Count; i++)
        {
            magnitude.Add(axes.Time[i], MathF.Sqrt((axes.X[i] * axes.X[i]) + (axes.Y[i] * axes.Y[i]) + (axes.Z[i] * axes.Z[i])), 0, 0);
        }

        var windows = Run(p => p.Push(magnitude));
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.Equal(ActivityClass.Other, w.Class));
    }

    [Fact]
    public void A_band_left_still_for_hours_is_nonwear_not_lying()
    {
        // 30 min walking, 3 h on the table, 30 min walking.
        var whole = SyntheticRecording.Make(4 * 3600, 8, startMicros: 0, still: t => t >= 1800 && t < 1800 + (3 * 3600));
        var windows = Run(p => SyntheticRecording.PushInRandomBlocks(whole, 3, 20_000, p.Push));
        var onTable = windows.Where(w => w.StartMicros >= 2_400_000_000 && w.EndMicros <= 11_400_000_000).ToList();
        Assert.NotEmpty(onTable);
        Assert.All(onTable, w => Assert.Equal(ActivityClass.NonWear, w.Class));
        Assert.DoesNotContain(windows, w => w.Class == ActivityClass.NonWear && w.EndMicros <= 1_800_000_000 - 900_000_000);
        Assert.Contains(windows, w => w.Class == ActivityClass.Walking && w.StartMicros < 900_000_000);
    }

    [Fact]
    public void A_worn_band_gets_its_windows_within_minutes_not_after_the_hour_the_wear_rule_spans()
    {
        var pipeline = new ActivityPipeline(ActivityModel.LoadDefault());
        var recording = SyntheticRecording.Make(20 * 60, seed: 3);
        var latest = long.MinValue;
        var worstLagMicros = 0L;
        SyntheticRecording.PushInRandomBlocks(recording, seed: 3, maxBlock: 500, block =>
        {
            pipeline.Push(block);
            while (pipeline.TryDequeue(out var w))
            {
                latest = w.EndMicros;
            }

            if (latest != long.MinValue)
            {
                worstLagMicros = Math.Max(worstLagMicros, block.Time[block.Count - 1] - latest);
            }
        });

        Assert.NotEqual(long.MinValue, latest);
        Assert.InRange(worstLagMicros, 0, 180_000_000); // the window itself and the smoother's look-ahead, not the hour
    }

    [Fact]
    public void Push_after_complete_is_refused()
    {
        var pipeline = new ActivityPipeline(ActivityModel.LoadDefault());
        pipeline.Complete();
        Assert.Throws<InvalidOperationException>(() => pipeline.Push(SyntheticRecording.Make(1, 1)));
    }
}

using Sensing.Testing;
using Sensing.Activity.Features;

namespace Sensing.Activity.Tests.Features;

public class WindowContextTests
{
    private const int N = 125;
    private const float Rate = 12.5f;

    /// <summary>Window features and context of a sequence of windows, each made by <paramref name="sample"/>(window, i).</summary>
    private static float[][] Run(WindowContext context, IEnumerable<long> windows, Func<long, int, (float X, float Y, float Z)> sample)
    {
        var extractor = new FeatureExtractor(N, Rate);
        var rows = new List<float[]>();
        foreach (var w in windows)
        {
            var (x, y, z) = (new float[N], new float[N], new float[N]);
            for (var i = 0; i < N; i++)
            {
                (x[i], y[i], z[i]) = sample(w, i);
            }

            var features = new float[WindowFeatures.Count];
            var summary = extractor.Compute(x, y, z, features);
            context.Append(w, summary, features);
            Assert.All(features, f => Assert.True(float.IsFinite(f)));
            rows.Add(features);
        }

        return [.. rows];
    }

    private static (float X, float Y, float Z) Walking(long w, int i)
    {
        // Arm hanging: the accelerometer reads +1 g upwards, towards the elbow, which is -y in the standard wear; swing 1 Hz, steps 2 Hz.
        var t = ((w * N) + i) / Rate;
        var swing = MathF.Sin(2 * MathF.PI * t);
        var bounce = 0.3f * MathF.Sin(2 * MathF.PI * 2 * t);
        return (0.3f * swing, -0.95f + bounce, 0.2f + (0.2f * swing));
    }

    private static (float X, float Y, float Z) HandOnBelly(long w, int i)
    {
        // Lying on the back, hand above the elbow, breathing at 0.25 Hz.
        var t = ((w * N) + i) / Rate;
        return (-0.3f, 0.6f + (0.02f * MathF.Sin(2 * MathF.PI * 0.25f * t)), 0.74f);
    }

    [Fact]
    public void A_steady_minute_averages_to_the_window_itself()
    {
        var rows = Run(new WindowContext(), Enumerable.Range(0, 8).Select(i => (long)i), (_, _) => (-0.3f, 0.6f, 0.74f));
        var last = rows[^1];
        Assert.Equal(last[WindowFeatures.LogSdTotal], last[WindowFeatures.ContextLogSdTotal], 5);
        Assert.Equal(last[WindowFeatures.ForearmElevation], last[WindowFeatures.ContextForearmElevation], 5);
        Assert.Equal(last[WindowFeatures.GravityZ], last[WindowFeatures.ContextGravityZ], 5);
        Assert.Equal(0f, last[WindowFeatures.ContextGravitySpread], 4);
    }

    [Fact]
    public void The_context_covers_one_minute_and_a_gap_clears_it()
    {
        // Six windows with the forearm up, then flat: after six more flat windows the minute no longer remembers it.
        static (float, float, float) Posture(long w, int i) => w < 6 ? (0f, 0.6f, 0.8f) : (0f, 0f, 1f);
        var context = new WindowContext();
        var rows = Run(context, Enumerable.Range(0, 12).Select(i => (long)i), Posture);
        Assert.True(rows[6][WindowFeatures.ContextForearmElevation] > 0.4f);
        Assert.True(rows[6][WindowFeatures.ContextGravitySpread] > 0.01f);
        Assert.Equal(0f, rows[11][WindowFeatures.ContextForearmElevation], 4);

        // A window after a gap starts a new run: nothing of the forearm-up minute remains.
        var afterGap = Run(new WindowContext(), [0, 1, 2, 3, 4, 40], Posture);
        Assert.Equal(0f, afterGap[^1][WindowFeatures.ContextForearmElevation], 4);
        Assert.Equal(0f, afterGap[^1][WindowFeatures.ContextGravitySpread], 4);
    }

    [Fact]
    public void A_band_turned_round_reads_the_same_forearm_elevation_after_some_walking()
    {
        // Turned round (or on the other wrist): x and y change sign together.
        static (float, float, float) Flip((float X, float Y, float Z) s) => (-s.X, -s.Y, s.Z);
        var windows = Enumerable.Range(0, 20).Select(i => (long)i).ToArray();
        var standard = new WindowContext();
        var turned = new WindowContext();
        var a = Run(standard, windows, (w, i) => w < 10 ? Walking(w, i) : HandOnBelly(w, i));
        var b = Run(turned, windows, (w, i) => Flip(w < 10 ? Walking(w, i) : HandOnBelly(w, i)));
        Assert.Equal(1f, standard.WearSign);
        Assert.Equal(-1f, turned.WearSign);
        Assert.True(a[^1][WindowFeatures.ForearmElevation] > 0.5f, "the hand on the belly is above the elbow");
        Assert.Equal(a[^1][WindowFeatures.ForearmElevation], b[^1][WindowFeatures.ForearmElevation], 4);
        Assert.Equal(a[^1][WindowFeatures.ContextForearmElevation], b[^1][WindowFeatures.ContextForearmElevation], 4);
    }

    [Fact]
    public void Without_walking_the_band_is_taken_to_be_worn_as_in_training()
    {
        var context = new WindowContext();
        Run(context, Enumerable.Range(0, 30).Select(i => (long)i), (w, i) => (-HandOnBelly(w, i).X, -HandOnBelly(w, i).Y, HandOnBelly(w, i).Z));
        Assert.Equal(1f, context.WearSign);
    }
}

/// <summary>The wear rule on real walking: the selfBACK bands were all worn one way, so turning a recording round must be noticed.</summary>
public class WindowContextRecordingTests
{
    /// <summary>Runs recordings (one stream, in the given order) through the resampler, extractor and context, with x and y negated when <paramref name="turned"/>.</summary>
    private sealed class ContextSink : Sensing.Activity.Resampling.IWindowSink
    {
        private readonly FeatureExtractor _extractor = new(Sensing.Activity.Resampling.WindowGrid.WindowSamples, Sensing.Activity.Resampling.WindowGrid.RateHz);
        private readonly float[] _features = new float[WindowFeatures.Count];

        public WindowContext Context { get; } = new();

        public void OnWindow(long windowIndex, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
            => Context.Append(windowIndex, _extractor.Compute(x, y, z, _features), _features);

        public static WindowContext Run(IEnumerable<string> paths, bool turned)
        {
            var sink = new ContextSink();
            var resampler = new Sensing.Activity.Resampling.GridResampler(sink);
            foreach (var path in paths)
            {
                Feed(resampler, path, turned);
            }

            resampler.Complete();
            return sink.Context;
        }

        private static void Feed(Sensing.Activity.Resampling.GridResampler resampler, string path, bool turned)
        {
            using var reader = Recordings.RecordingReader.Open(path, new Recordings.RecordingOptions());
            var block = new Core.SampleBlock(4096);
            while (reader.ReadBlock(block))
            {
                if (turned)
                {
                    foreach (ref var v in block.X)
                    {
                        v = -v;
                    }

                    foreach (ref var v in block.Y)
                    {
                        v = -v;
                    }
                }

                resampler.Push(block.Time, block.X, block.Y, block.Z);
            }
        }
    }

    [SharedDataFact("wrist-activity-selfback")]
    public void Real_walking_tells_which_way_the_band_is_worn()
    {
        // Each participant's three level walks (slow, moderate, fast: a few minutes, in the order they were made) as
        // one stream, like part of a day; the same stream with the band turned round must be noticed.
        var walksByParticipant = Sensing.Activity.Training.LabelledRecordingSet.Scan(SharedData.Folder("wrist-activity-selfback")!)
            .Where(r => Sensing.Activity.Model.ActivityLabels.Names[r.Label] is "walk_slow" or "walk_mod" or "walk_fast")
            .GroupBy(r => r.Participant)
            .Select(g => g.OrderBy(r => r.Label).Select(r => r.Path).ToArray())
            .ToArray();
        Assert.Equal(38, walksByParticipant.Length);
        foreach (var walks in walksByParticipant)
        {
            Assert.True(ContextSink.Run(walks, turned: false).WearSign == 1f, $"{walks[0]} as worn");
            Assert.True(ContextSink.Run(walks, turned: true).WearSign == -1f, $"{walks[0]} turned round");
        }
    }
}

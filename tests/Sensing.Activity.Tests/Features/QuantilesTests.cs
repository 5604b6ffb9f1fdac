using Sensing.Activity.Features;

namespace Sensing.Activity.Tests.Features;

public class QuantilesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(125)]
    [InlineData(1000)]
    public void Selection_equals_the_sorted_reference(int n)
    {
        float[] levels = [0f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 1f];
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var random = new Random(seed * n);
            // Few distinct values, as a quantised still wrist gives, plus ties and sorted runs.
            var values = Enumerable.Range(0, n).Select(i => seed == 3 ? i / 10 : (float)Math.Round(random.NextDouble() * 8) / 8).ToArray();
            var sorted = values.Order().ToArray();
            var result = new float[levels.Length];
            Quantiles.Select((float[])values.Clone(), levels, result);
            for (var q = 0; q < levels.Length; q++)
            {
                Assert.Equal(sorted[(int)Math.Floor(levels[q] * (n - 1))], result[q]);
            }
        }
    }

    [Theory]
    [InlineData(125)]
    [InlineData(1000)]
    public void Selection_holds_for_sensor_noise_and_for_a_quantised_still_wrist(int n)
    {
        float[] levels = [0.1f, 0.25f, 0.5f, 0.75f, 0.9f];
        var random = new Random(n);
        foreach (var quantised in new[] { false, true })
        {
            // A still wrist: noise of a few mg around 1 g, continuous or in the sensor's 1/64 g steps (many ties).
            var values = Enumerable.Range(0, n).Select(_ => 1f + ((float)random.NextDouble() * 0.05f)).Select(v => quantised ? MathF.Round(v * 64) / 64 : v).ToArray();
            var sorted = values.Order().ToArray();
            var result = new float[levels.Length];
            Quantiles.Select((float[])values.Clone(), levels, result);
            for (var q = 0; q < levels.Length; q++)
            {
                Assert.Equal(sorted[(int)Math.Floor(levels[q] * (n - 1))], result[q]);
            }
        }
    }

    [Fact]
    public void The_sorting_network_gives_the_ranks_selection_gives_for_every_length_up_to_its_size()
    {
        float[] levels = [0f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 1f];
        var random = new Random(128);
        for (var n = 1; n <= 128; n++)
        {
            // Continuous values, then the ties of a quantised still wrist, then a sorted and a reversed run.
            foreach (var kind in new[] { 0, 1, 2, 3 })
            {
                var values = Enumerable.Range(0, n).Select(i => kind switch
                {
                    0 => (float)(random.NextDouble() * 4) - 2,
                    1 => MathF.Round(1f + ((float)random.NextDouble() * 0.05f), 2),
                    2 => i,
                    _ => -i,
                }).ToArray();
                var sorted = values.Order().ToArray();
                var expected = levels.Select(q => sorted[(int)Math.Floor(q * (n - 1))]).ToArray();
                var network = new float[levels.Length];
                Assert.Equal(SortingNetwork.IsSupported, SortingNetwork.TrySelect(values, levels, network));
                var selection = new float[levels.Length];
                Quantiles.Select((float[])values.Clone(), levels, selection, allowVectors: false);
                Assert.Equal(expected, selection);
                if (SortingNetwork.IsSupported)
                {
                    Assert.Equal(expected, network);
                }
            }
        }
    }

    [Fact]
    public void The_sorting_network_leaves_windows_it_cannot_order_to_selection()
    {
        var result = new float[1];
        Assert.False(SortingNetwork.TrySelect(new float[129], [0.5f], result));
        Assert.False(SortingNetwork.TrySelect([1f, float.NaN, 2f], [0.5f], result));
        Assert.False(SortingNetwork.TrySelect([1f, float.PositiveInfinity], [0.5f], result));
        Quantiles.Select([3f, float.PositiveInfinity, 1f], [0.5f], result);
        Assert.Equal(3f, result[0]);
    }

    [Fact]
    public void Empty_window_is_rejected() => Assert.Throws<ArgumentException>(() => Quantiles.Select([], [0.5f], new float[1]));
}

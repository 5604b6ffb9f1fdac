using Sensing.Activity.Resampling;

namespace Sensing.Activity.Tests.Resampling;

public class WindowGridTests
{
    [Fact]
    public void Points_in_step_count_the_leading_grid_points_as_one_compare_each_would()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 3000; trial++)
        {
            var length = random.Next(0, 140);
            var first = (random.Next(-1000, 1000) * WindowGrid.PeriodMicros) + (trial % 7 == 0 ? 1 : 0);
            var times = Enumerable.Range(0, length).Select(j => first + (j * WindowGrid.PeriodMicros)).ToArray();
            if (length > 0 && random.Next(4) != 0)
            {
                // A jump, a repeat or a point off the grid somewhere.
                var at = random.Next(length);
                times[at] += random.Next(3) switch { 0 => WindowGrid.PeriodMicros, 1 => -WindowGrid.PeriodMicros, _ => 1 };
            }

            var expected = 0;
            while (expected < length && times[expected] == first + (expected * WindowGrid.PeriodMicros))
            {
                expected++;
            }

            Assert.Equal(expected, WindowGrid.PointsInStep(times, first));
        }
    }
}

namespace Sensing.Activity.Tests;

public class PendingWindowsTests
{
    [Fact]
    public void Windows_come_out_oldest_first_with_their_probabilities_across_growth_and_wrap_around()
    {
        var pending = new PendingWindows(3);
        var start = 170_000_000L; // a window index of today's epoch microseconds, far from zero
        long next = start, expected = start;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 7; i++, next += 1 + (next % 3))
            {
                pending.Add(next, [(float)(Half)(next % 101 / 100f), 0.25f, 0.5f]);
            }

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(expected, pending.FirstIndex);
                Assert.Equal([(float)(Half)(expected % 101 / 100f), 0.25f, 0.5f], pending.FirstProbabilities.ToArray());
                pending.RemoveFirst();
                expected += 1 + (expected % 3);
            }
        }

        Assert.Equal(100, pending.Count);
    }

    [Fact]
    public void An_hour_of_waiting_windows_gives_its_rings_back_once_they_are_taken_and_order_holds_afterwards()
    {
        var pending = new PendingWindows(2);
        for (var i = 0; i < 361; i++)
        {
            pending.Add(1000 + i, [i % 7 / 8f, 0.5f]);
        }

        Assert.True(pending.Capacity >= 361);
        for (var i = 0; i < 361; i++)
        {
            Assert.Equal(1000 + i, pending.FirstIndex);
            pending.RemoveFirst();
        }

        Assert.Equal(16, pending.Capacity);
        for (var i = 0; i < 40; i++)
        {
            pending.Add(2000 + i, [i % 5 / 8f, 0.25f]);
        }

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(2000 + i, pending.FirstIndex);
            Assert.Equal([i % 5 / 8f, 0.25f], pending.FirstProbabilities.ToArray());
            pending.RemoveFirst();
        }

        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void A_window_beyond_what_an_offset_can_hold_is_refused_with_both_indexes()
    {
        var pending = new PendingWindows(1);
        pending.Add(5, [1f]);
        var ex = Assert.Throws<InvalidOperationException>(() => pending.Add(5 + (1L << 32), [1f]));
        Assert.Contains("4294967301", ex.Message);
        Assert.Contains("5", ex.Message);
    }
}

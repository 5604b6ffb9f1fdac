using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sensing.Activity.Features;
using Sensing.Activity.Resampling;

namespace Sensing.Activity.NonWear;

/// <summary>
/// Applies <see cref="NonWearRule"/> to a stream of 10 s window summaries: statistics are kept per 15-minute block
/// (aligned to the clock), each 60-minute window of four consecutive blocks is judged once all four are closed, and
/// a block is non-wear when any window covering it is. A 10 s window's verdict is final once nothing to come can
/// change it: when an hour covering it was judged non-wear, when every hour covering it can no longer be (below), or
/// once the last hour covering it has been judged (45 to 60 minutes later), or at <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// <para>An hour with less than half of its windows present (gaps, short recordings) is not judged; so a recording
/// shorter than an hour is never called non-wear, as in GGIR. Memory is a few blocks. Not thread-safe.</para>
/// <para>Why the early verdict: a worn band would otherwise hold an hour of windows (and the steps and minutes behind
/// them) for a rule that its first minutes of movement already answer. More data can only widen an axis's range and
/// add to its sum of squared deviations, and an hour has at most <see cref="MaximumSamplesPerHour"/> grid samples;
/// so once two axes' ranges reach the threshold and two axes' deviations would stay above it even over a full hour,
/// that hour cannot be judged non-wear. The verdicts are the same as waiting; they only come sooner.</para>
/// </remarks>
internal sealed class NonWearDetector
{
    public const int WindowsPerBlock = 90;
    private const int BlocksPerHour = 4;
    private const long MaximumSamplesPerHour = (long)WindowsPerBlock * BlocksPerHour * WindowGrid.WindowSamples;
    private const long MinimumSamplesPerHour = MaximumSamplesPerHour / 2;

    private readonly Dictionary<long, BlockStats> _blocks = [];
    private readonly HashSet<long> _nonWearBlocks = [];
    private long _currentBlock = long.MinValue;
    private long _nextHourStart = long.MinValue;
    private uint _wornHours; // bit i: the hour starting at block _nextHourStart + i can no longer be judged non-wear
    private bool _completed;

    /// <summary>Adds a window's summary; windows arrive in increasing index order.</summary>
    public void Add(long windowIndex, in WindowSummary summary)
    {
        var block = WindowGrid.FloorDiv(windowIndex, WindowsPerBlock);
        if (block != _currentBlock)
        {
            if (_nextHourStart == long.MinValue)
            {
                _nextHourStart = block - BlocksPerHour + 1;
            }

            // Verdicts final before this window were taken after the window that made them final; forget them now,
            // not while judging, where a gap of over an hour would drop verdicts that only now became final.
            var taken = _nextHourStart;
            _nonWearBlocks.RemoveWhere(b => b < taken);
            _currentBlock = block;
            JudgeHoursBefore(block);
        }

        ref var stats = ref CollectionsMarshal.GetValueRefOrAddDefault(_blocks, block, out var exists);
        if (!exists)
        {
            stats = BlockStats.Empty;
        }

        Debug.Assert(summary.Count <= WindowGrid.WindowSamples, "A window holds at most one window of grid samples.");
        stats.Add(summary);
        ProveWornHours(block);
    }

    /// <summary>True when nothing later can change the verdict on <paramref name="windowIndex"/>.</summary>
    public bool IsFinal(long windowIndex)
    {
        var block = WindowGrid.FloorDiv(windowIndex, WindowsPerBlock);
        if (_completed || block < _nextHourStart || IsNonWearBlock(block))
        {
            return true;
        }

        // Every hour covering the block that is still to be judged (starts _nextHourStart..block) must be worn.
        var open = block - _nextHourStart + 1;
        if (open > BlocksPerHour)
        {
            return false; // a later block than any seen so far
        }

        var needed = (1u << (int)open) - 1;
        return (_wornHours & needed) == needed;
    }

    /// <summary>The verdict (meaningful once <see cref="IsFinal"/>).</summary>
    public bool IsNonWear(long windowIndex) => IsNonWearBlock(WindowGrid.FloorDiv(windowIndex, WindowsPerBlock));

    // Most streams have no non-wear hour waiting: then no hashing per window.
    private bool IsNonWearBlock(long block) => _nonWearBlocks.Count != 0 && _nonWearBlocks.Contains(block);

    /// <summary>Judges every hour whose four blocks have data; afterwards every verdict is final.</summary>
    public void Complete()
    {
        if (_currentBlock != long.MinValue)
        {
            JudgeHoursBefore(_currentBlock + 1);
        }

        _completed = true;
    }

    /// <summary>Marks the hours covering <paramref name="block"/> that its data so far rules out as non-wear.</summary>
    private void ProveWornHours(long block)
    {
        for (var start = Math.Max(_nextHourStart, block - BlocksPerHour + 1); start <= block; start++)
        {
            var bit = 1u << (int)(start - _nextHourStart);
            if ((_wornHours & bit) != 0)
            {
                continue;
            }

            if (Merged(start, block).CannotBeNonWear(MaximumSamplesPerHour))
            {
                _wornHours |= bit;
            }
        }
    }

    /// <summary>The statistics of the blocks <paramref name="first"/>..<paramref name="last"/> that have data, merged in order.</summary>
    private BlockStats Merged(long first, long last)
    {
        var merged = BlockStats.Empty;
        for (var b = first; b <= last; b++)
        {
            if (_blocks.TryGetValue(b, out var s))
            {
                merged.Merge(in s);
            }
        }

        return merged;
    }

    /// <summary>Judges the hours made only of blocks before <paramref name="openBlock"/>.</summary>
    private void JudgeHoursBefore(long openBlock)
    {
        Span<double> sd = stackalloc double[3];
        Span<double> range = stackalloc double[3];
        for (; _nextHourStart + BlocksPerHour <= openBlock; _nextHourStart++)
        {
            var hour = Merged(_nextHourStart, _nextHourStart + BlocksPerHour - 1);
            if (hour.Count >= MinimumSamplesPerHour)
            {
                hour.Describe(sd, range);
                if (NonWearRule.IsNonWear(sd, range))
                {
                    for (var b = _nextHourStart; b < _nextHourStart + BlocksPerHour; b++)
                    {
                        _nonWearBlocks.Add(b);
                    }
                }
            }

            // The first block of this hour is covered by no later hour: forget its statistics.
            _blocks.Remove(_nextHourStart);
            _wornHours >>= 1;
        }
    }

    /// <summary>
    /// Count, mean, M2, min and max per axis, merged with Chan's parallel formula. A value type with its axes inline:
    /// a block lives in the dictionary's entry, and an hour being judged or bounded on the stack.
    /// </summary>
    private struct BlockStats
    {
        private Axes _mean;
        private Axes _m2;
        private Axes _min;
        private Axes _max;

        public static BlockStats Empty
        {
            get
            {
                var empty = default(BlockStats);
                ((Span<double>)empty._min).Fill(double.PositiveInfinity);
                ((Span<double>)empty._max).Fill(double.NegativeInfinity);
                return empty;
            }
        }

        public long Count { get; private set; }

        public void Add(in WindowSummary s)
        {
            Merge(0, s.Count, s.X);
            Merge(1, s.Count, s.Y);
            Merge(2, s.Count, s.Z);
            Count += s.Count;
        }

        public void Merge(in BlockStats other)
        {
            for (var a = 0; a < 3; a++)
            {
                Merge(a, other.Count, new AxisSummary(other._mean[a], other._m2[a], (float)other._min[a], (float)other._max[a]));
            }

            Count += other.Count;
        }

        /// <summary>
        /// True when no data added later can make these statistics non-wear: two axes' ranges at the threshold
        /// already, and two axes whose deviations would stay at it even spread over <paramref name="maximumCount"/>
        /// samples. Range is exact (min and max only move outwards); the sum of squared deviations is merged in another
        /// order for the judged hour, so its bound keeps a margin far above that rounding.
        /// </summary>
        public bool CannotBeNonWear(long maximumCount)
        {
            const double Margin = 1 + 1e-9;
            var movingBySd = 0;
            var movingByRange = 0;
            for (var a = 0; a < 3; a++)
            {
                movingBySd += Math.Sqrt(_m2[a] / maximumCount) >= NonWearRule.SdThreshold * Margin ? 1 : 0;
                movingByRange += _max[a] - _min[a] >= NonWearRule.RangeThreshold ? 1 : 0;
            }

            return movingBySd >= 2 && movingByRange >= 2;
        }

        public void Describe(Span<double> sd, Span<double> range)
        {
            for (var a = 0; a < 3; a++)
            {
                sd[a] = Math.Sqrt(_m2[a] / Count);
                range[a] = _max[a] - _min[a];
            }
        }

        private void Merge(int axis, long count, AxisSummary s)
        {
            if (count == 0)
            {
                return;
            }

            var n = Count + count;
            var delta = s.Mean - _mean[axis];
            _mean[axis] += delta * count / n;
            _m2[axis] += s.M2 + (delta * delta * Count * count / n);
            _min[axis] = Math.Min(_min[axis], s.Min);
            _max[axis] = Math.Max(_max[axis], s.Max);
        }
    }

    [InlineArray(3)]
    private struct Axes
    {
        private double _x;
    }
}

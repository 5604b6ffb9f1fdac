using Sensing.Activity.Features;
using Sensing.Activity.Resampling;

namespace Sensing.Activity.NonWear;

/// <summary>
/// Applies <see cref="NonWearRule"/> to a stream of 10 s window summaries: statistics are kept per 15-minute block
/// (aligned to the clock), each 60-minute window of four consecutive blocks is judged once all four are closed, and
/// a block is non-wear when any window covering it is. A 10 s window's verdict is final once the last hour covering
/// it has been judged, i.e. 45 to 60 minutes later, or at <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// An hour with less than half of its windows present (gaps, short recordings) is not judged; so a recording shorter
/// than an hour is never called non-wear, as in GGIR. Memory is a few blocks. Not thread-safe.
/// </remarks>
internal sealed class NonWearDetector
{
    public const int WindowsPerBlock = 90;
    private const int BlocksPerHour = 4;
    private const long MinimumSamplesPerHour = (long)WindowsPerBlock * BlocksPerHour * WindowGrid.WindowSamples / 2;

    private readonly Dictionary<long, BlockStats> _blocks = [];
    private readonly HashSet<long> _nonWearBlocks = [];
    private long _currentBlock = long.MinValue;
    private long _nextHourStart = long.MinValue;
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

            _currentBlock = block;
            JudgeHoursBefore(block);
        }

        if (!_blocks.TryGetValue(block, out var stats))
        {
            stats = new BlockStats();
            _blocks[block] = stats;
        }

        stats.Add(summary);
    }

    /// <summary>True when nothing later can change the verdict on <paramref name="windowIndex"/>.</summary>
    public bool IsFinal(long windowIndex)
        => _completed || WindowGrid.FloorDiv(windowIndex, WindowsPerBlock) < _nextHourStart;

    /// <summary>The verdict (meaningful once <see cref="IsFinal"/>).</summary>
    public bool IsNonWear(long windowIndex) => _nonWearBlocks.Contains(WindowGrid.FloorDiv(windowIndex, WindowsPerBlock));

    /// <summary>Judges every hour whose four blocks have data; afterwards every verdict is final.</summary>
    public void Complete()
    {
        if (_currentBlock != long.MinValue)
        {
            JudgeHoursBefore(_currentBlock + 1);
        }

        _completed = true;
    }

    /// <summary>Judges the hours made only of blocks before <paramref name="openBlock"/>.</summary>
    private void JudgeHoursBefore(long openBlock)
    {
        Span<double> sd = stackalloc double[3];
        Span<double> range = stackalloc double[3];
        for (; _nextHourStart + BlocksPerHour <= openBlock; _nextHourStart++)
        {
            var hour = new BlockStats();
            for (var b = _nextHourStart; b < _nextHourStart + BlocksPerHour; b++)
            {
                if (_blocks.TryGetValue(b, out var s))
                {
                    hour.Merge(s);
                }
            }

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
            _nonWearBlocks.RemoveWhere(b => b < _nextHourStart - BlocksPerHour);
        }
    }

    /// <summary>Count, mean, M2, min and max per axis, merged with Chan's parallel formula.</summary>
    private sealed class BlockStats
    {
        private readonly double[] _mean = new double[3];
        private readonly double[] _m2 = new double[3];
        private readonly double[] _min = [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity];
        private readonly double[] _max = [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];

        public long Count { get; private set; }

        public void Add(in WindowSummary s)
        {
            Merge(0, s.Count, s.X);
            Merge(1, s.Count, s.Y);
            Merge(2, s.Count, s.Z);
            Count += s.Count;
        }

        public void Merge(BlockStats other)
        {
            for (var a = 0; a < 3; a++)
            {
                Merge(a, other.Count, new AxisSummary(other._mean[a], other._m2[a], (float)other._min[a], (float)other._max[a]));
            }

            Count += other.Count;
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
}

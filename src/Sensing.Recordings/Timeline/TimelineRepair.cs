namespace Sensing.Recordings;

/// <summary>
/// Turns the raw timestamps of a recording into a non-decreasing timeline and records every repair in a
/// <see cref="TimelineReport"/>. Shared by every reader so that all formats follow one policy:
/// <list type="bullet">
/// <item>a small step backwards (jitter, a re-ordered packet) is re-timed to 1 µs after the previous sample;</item>
/// <item>a step backwards of at least the gap threshold is a clock reset: the clock is re-based so that it continues
/// one gap threshold after the previous sample, which the pipeline sees as a gap (nothing counted across it);</item>
/// <item>a step forward longer than the gap threshold is a gap, kept as it is.</item>
/// </list>
/// </summary>
public sealed class TimelineRepair
{
    private readonly long _gapMicros;
    private long _offset;
    private long _previous;
    private bool _started;

    public TimelineRepair(TimeSpan gapThreshold, TimelineReport report)
    {
        _gapMicros = (long)(gapThreshold.TotalMilliseconds * 1000);
        Report = report;
    }

    public TimelineReport Report { get; }

    /// <summary>
    /// The typical sample interval, when the reader knows it (0 when not). Intervals longer than 1.5 of it but
    /// within the gap threshold are dropped samples: reported, and left out of the measured rate, which would
    /// otherwise read 12.5 Hz with a few lost samples as 12.2 Hz.
    /// </summary>
    public long NominalPeriodMicros { get; set; }

    /// <summary>Returns the repaired time of one sample given its raw time and the line it came from.</summary>
    public long Next(long rawMicros, long line)
    {
        var time = rawMicros + _offset;
        if (!_started)
        {
            _started = true;
            Report.FirstMicros = time;
        }
        else
        {
            var delta = time - _previous;
            if (delta < 0 && -delta < _gapMicros)
            {
                Report.BackwardSteps++;
                Report.Note(line, $"time went back {-delta / 1000.0:0.###} ms; re-timed after the previous sample");
                time = _previous + 1;
                delta = 1;
            }
            else if (delta < 0)
            {
                Report.ClockResets++;
                Report.Note(line, $"clock went back {-delta / 1e6:0.###} s; treated as a gap");
                _offset += _previous + _gapMicros + 1 - time;
                time = _previous + _gapMicros + 1;
                delta = -1;
            }
            else if (delta > _gapMicros)
            {
                Report.Gaps++;
                Report.GapSeconds += delta / 1e6;
                Report.Note(line, $"gap of {delta / 1e6:0.###} s");
                delta = -1;
            }

            if (delta > 0 && NominalPeriodMicros > 0 && delta * 2 > NominalPeriodMicros * 3)
            {
                Report.DroppedSamples += Math.Max(1, (int)Math.Round((double)delta / NominalPeriodMicros) - 1);
                delta = -1;
            }

            if (delta >= 0)
            {
                Report.ContinuousMicros += delta;
                Report.ContinuousIntervals++;
            }
        }

        _previous = time;
        Report.LastMicros = time;
        Report.Samples++;
        return time;
    }
}

using Sensing.Core;

namespace Sensing.Pipeline;

/// <summary>
/// One clock minute of one wristband's stream, as the plan engine and the clinician read it: the steps counted in
/// it, the seconds classified as each activity, and the class that filled most of it.
/// </summary>
/// <remarks>Minutes are aligned to whole minutes of the stream's clock (UTC for a wristband, the recording's clock for a file).</remarks>
public sealed class MinuteEpoch
{
    private readonly int[] _seconds = new int[ActivityClassNames.All.Count];

    internal MinuteEpoch(long startMicros) => StartMicros = startMicros;

    /// <summary>Start of the minute, microseconds on the stream's clock.</summary>
    public long StartMicros { get; }

    /// <summary>Steps counted in the minute.</summary>
    public int Steps { get; internal set; }

    /// <summary>Seconds of the minute that were classified (the rest had no data or no complete window).</summary>
    public int ClassifiedSeconds => _seconds.Sum();

    /// <summary>Seconds of the minute classified as <paramref name="activity"/>.</summary>
    public int SecondsOf(ActivityClass activity) => _seconds[(int)activity];

    /// <summary>The class with the most seconds; <see cref="ActivityClass.Other"/> when nothing was classified.</summary>
    public ActivityClass Dominant
    {
        get
        {
            var best = -1;
            for (var c = 0; c < _seconds.Length; c++)
            {
                if (_seconds[c] > 0 && (best < 0 || _seconds[c] > _seconds[best]))
                {
                    best = c;
                }
            }

            return best < 0 ? ActivityClass.Other : (ActivityClass)best;
        }
    }

    internal void AddSeconds(ActivityClass activity, int seconds) => _seconds[(int)activity] += seconds;
}

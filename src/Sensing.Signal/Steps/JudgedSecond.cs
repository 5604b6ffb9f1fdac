namespace Sensing.Signal.Steps;

/// <summary>Where the walking gate stands: no walk, a walk not yet confirmed, or a confirmed walk.</summary>
public enum WalkingState
{
    Idle,

    /// <summary>A rhythm has started a walk that is not yet sustained; its steps count only if it is confirmed.</summary>
    Candidate,
    Walking,
}

/// <summary>
/// One second as the step counter judged it: the rhythm its window showed and where the walking gate stood after it.
/// For researchers asking why a stretch of a recording was, or was not, counted as walking.
/// </summary>
/// <param name="StartMicros">Start of the second, microseconds on the stream's clock.</param>
/// <param name="RmsG">RMS of the band-passed magnitude over the window around it, g.</param>
/// <param name="SecondRmsG">The same over this second alone, g: below the still level no step is placed in it without a peak.</param>
/// <param name="Strength">Autocorrelation at the window's repeating period (0 when too still to judge).</param>
/// <param name="StepPeriodSeconds">The step period read from it; 0 when the window held no step-like period.</param>
/// <param name="Steadiness">How evenly the window's movement is spread over its seconds (1 = every second alike).</param>
/// <param name="State">
/// The gate after this second. A <see cref="WalkingState.Candidate"/> second turns out walking if the walk is confirmed
/// later, and so can the last few <see cref="WalkingState.Idle"/> seconds before a walk's start (its weak first seconds).
/// </param>
/// <param name="Steps">Steps counted by the end of this judgement.</param>
public readonly record struct JudgedSecond(long StartMicros, float RmsG, float SecondRmsG, float Strength, double StepPeriodSeconds, float Steadiness, WalkingState State, long Steps);

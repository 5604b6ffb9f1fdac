namespace Sensing.Simulator.Motion;

/// <summary>One bout of a <see cref="MotionKind"/> in a motion script.</summary>
/// <param name="Kind">The activity.</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="CadenceStepsPerMinute">Step cadence for walking, running and stairs; 0 = the kind's default.</param>
public sealed record MotionSegment(MotionKind Kind, TimeSpan Duration, double CadenceStepsPerMinute = 0);

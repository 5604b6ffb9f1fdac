namespace Sensing.Simulator.Motion;

/// <summary>What the wearer (or the band, when off the wrist) is doing during a <see cref="MotionSegment"/>.</summary>
public enum MotionKind
{
    /// <summary>Walking: arm swing and heel strikes at the cadence (default 105 steps/min).</summary>
    Walking,

    /// <summary>Running: larger swing and impacts (default 165 steps/min).</summary>
    Running,

    /// <summary>Sitting: forearm resting, tremor and occasional fidgets.</summary>
    Sitting,

    /// <summary>Standing: arm hanging, sway and fidgets.</summary>
    Standing,

    /// <summary>Lying: arbitrary wrist orientation, rare turns.</summary>
    Lying,

    /// <summary>Driving: hands on the wheel, road vibration, steering.</summary>
    Driving,

    /// <summary>Climbing stairs: slower cadence (default 90), stronger impacts.</summary>
    Stairs,

    /// <summary>Off the wrist on a table: still, only sensor noise.</summary>
    NonWear,
}

using Sensing.Core;
using Sensing.Signal.Steps;

namespace Sensing.Pipeline;

/// <summary>How a <see cref="WristbandPipeline"/> combines the step counter and the activity classifier.</summary>
public sealed record WristbandPipelineOptions
{
    /// <summary>The step counter's design parameters; null for its defaults.</summary>
    public StepCounterOptions? Steps { get; init; }

    /// <summary>
    /// Classes in whose windows no step counts: a band on the table, a car's jolts or a pedalling wrist make step-like
    /// rhythm, but nobody walks while the classifier sees them doing these.
    /// </summary>
    public IReadOnlySet<ActivityClass> NoStepClasses { get; init; } = new HashSet<ActivityClass>
    {
        ActivityClass.NonWear, ActivityClass.Vehicle, ActivityClass.Cycling, ActivityClass.Sitting,
    };

    /// <summary>False runs the scalar reference kernels (tests hold the vector path to them).</summary>
    public bool Vectorised { get; init; } = true;
}

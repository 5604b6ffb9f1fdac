using System.CommandLine;
using Sensing.Pipeline;

namespace Sensing.Cli.Replay;

/// <summary>The one option that chooses between the whole pipeline and the step counter alone.</summary>
internal static class PipelineChoice
{
    public static Option<bool> CounterOnlyOption() => new("--counter-only")
    {
        Description = "Count steps with the step counter alone, without the activity classifier's veto (no steps while sitting, in a vehicle, off the wrist).",
    };

    public static WristbandPipelineOptions Options(bool counterOnly)
        => counterOnly ? new WristbandPipelineOptions { NoStepClasses = new HashSet<Sensing.Core.ActivityClass>() } : new WristbandPipelineOptions();
}

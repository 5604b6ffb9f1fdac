using Sensing.Activity.Model;

namespace Sensing.Activity.Training;

/// <summary>A way of scoring the nine labels: which group each label counts as, and the group names.</summary>
public sealed record LabelGrouping(string Name, IReadOnlyList<string> Groups, IReadOnlyList<int> GroupOfLabel)
{
    /// <summary>The nine selfBACK labels as they are.</summary>
    public static LabelGrouping NineLabels { get; } = new("9 selfBACK labels", ActivityLabels.Names, [0, 1, 2, 3, 4, 5, 6, 7, 8]);

    /// <summary>lying, sitting, standing, walking (all speeds and stairs), running.</summary>
    public static LabelGrouping FiveClasses { get; } = new("5 classes", ["lying", "sitting", "standing", "walking", "running"], [3, 3, 3, 3, 3, 4, 1, 2, 0]);

    /// <summary>sedentary (lying + sitting), standing, walking (all speeds and stairs), running.</summary>
    public static LabelGrouping FourClasses { get; } = new("4 classes", ["sedentary", "standing", "walking", "running"], [2, 2, 2, 2, 2, 3, 0, 1, 0]);

    /// <summary>The three groupings reported by <c>sensing eval activity</c>.</summary>
    public static IReadOnlyList<LabelGrouping> All { get; } = [NineLabels, FiveClasses, FourClasses];
}

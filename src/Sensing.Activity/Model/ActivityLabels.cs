using Sensing.Core;

namespace Sensing.Activity.Model;

/// <summary>
/// The model's internal labels: the nine selfBACK activities (folder names of the training layout), kept apart so
/// that the 9-label evaluation exists, and how each maps onto the public <see cref="ActivityClass"/>.
/// </summary>
public static class ActivityLabels
{
    /// <summary>Folder names, in label order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["walk_slow", "walk_mod", "walk_fast", "upstairs", "downstairs", "jogging", "sitting", "standing", "lying"];

    private static readonly ActivityClass[] Classes =
    [
        ActivityClass.Walking, ActivityClass.Walking, ActivityClass.Walking, ActivityClass.Stairs, ActivityClass.Stairs,
        ActivityClass.Running, ActivityClass.Sitting, ActivityClass.Standing, ActivityClass.Lying,
    ];

    /// <summary>Number of labels.</summary>
    public static int Count => Names.Count;

    /// <summary>The public class a label is reported as.</summary>
    public static ActivityClass ToClass(int label) => Classes[label];

    /// <summary>Label of a folder name (case-insensitive); false when it is not a selfBACK activity.</summary>
    public static bool TryParse(string name, out int label)
    {
        for (label = 0; label < Names.Count; label++)
        {
            if (string.Equals(Names[label], name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        label = -1;
        return false;
    }
}

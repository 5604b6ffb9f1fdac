namespace Sensing.Core;

/// <summary>
/// What the wearer was doing during a window. The wire/JSON names are <see cref="ActivityClassNames"/>
/// (lower case: <c>nonwear</c>, <c>lying</c>, ...).
/// </summary>
public enum ActivityClass : byte
{
    /// <summary>The band was not worn (van Hees / GGIR non-wear rule).</summary>
    NonWear = 0,
    Lying = 1,
    Sitting = 2,
    Standing = 3,
    Walking = 4,
    Running = 5,
    Stairs = 6,
    Cycling = 7,
    Vehicle = 8,
    Other = 9,
}

/// <summary>The lower-case names used in JSON, InfluxDB and on the command line.</summary>
public static class ActivityClassNames
{
    private static readonly string[] Names =
        ["nonwear", "lying", "sitting", "standing", "walking", "running", "stairs", "cycling", "vehicle", "other"];

    /// <summary>Every class, in enum order.</summary>
    public static IReadOnlyList<ActivityClass> All { get; } = Enum.GetValues<ActivityClass>();

    /// <summary>The lower-case name of a class.</summary>
    public static string Name(this ActivityClass activity) => Names[(int)activity];

    /// <summary>Parses a lower-case name; false when unknown.</summary>
    public static bool TryParse(string name, out ActivityClass activity)
    {
        var index = Array.IndexOf(Names, name);
        activity = index < 0 ? default : (ActivityClass)index;
        return index >= 0;
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Sensing.Core;

/// <summary>
/// How a device's accelerometer axes lie in the wrist frame the activity classifier learned: the frame of the
/// Axivity AX3 as worn in the selfBACK recordings, where with the arm hanging +y points along the forearm to the
/// hand, +z points out of the band's face, and x completes the frame as that device has it.
/// </summary>
/// <remarks>
/// Magnitude, and so the step counter, does not care; posture does: a band whose forearm axis is x reads a desk or a
/// car seat as the posture the classifier learned for that orientation of y, which is standing. Written as three
/// signed device axes, the wrist frame's x, y and z in order: <c>-y,x,-z</c> is Bangle.js (forearm along the
/// device's x, the face's normal reversed).
/// </remarks>
public readonly record struct AxisMap
{
    private readonly byte _sources; // two bits per wrist axis: which device axis (0 x, 1 y, 2 z)
    private readonly byte _negated; // one bit per wrist axis

    private AxisMap(byte sources, byte negated) => (_sources, _negated) = (sources, negated);

    /// <summary>The device frame is the wrist frame (AX3, and Sensing's own wristband protocol).</summary>
    public static AxisMap Identity { get; } = new(0b10_01_00, 0);

    /// <summary>True when nothing is moved or negated.</summary>
    public bool IsIdentity => _sources == Identity._sources && _negated == 0;

    /// <summary>The device axis (0 x, 1 y, 2 z) that wrist axis <paramref name="axis"/> is read from.</summary>
    public int SourceOf(int axis) => (_sources >> (2 * axis)) & 3;

    /// <summary>True when wrist axis <paramref name="axis"/> is the device axis negated.</summary>
    public bool Negates(int axis) => ((_negated >> axis) & 1) != 0;

    /// <summary>Named device frames accepted in place of a map.</summary>
    public static IReadOnlyDictionary<string, string> Devices { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ax3"] = "x,y,z",
        ["banglejs"] = "-y,x,-z",
    };

    /// <summary>Reads <c>x,y,z</c>-style maps (each device axis once, optionally with <c>-</c>) or a device name.</summary>
    public static bool TryParse(string? text, out AxisMap map, [NotNullWhen(false)] out string? error)
    {
        map = Identity;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return false;
        }

        var parts = (Devices.TryGetValue(text.Trim(), out var named) ? named : text).Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
        {
            error = $"it names {parts.Length} axes, not 3 (e.g. x,y,z or -y,x,-z, or one of {string.Join(", ", Devices.Keys)})";
            return false;
        }

        byte sources = 0, negated = 0, seen = 0;
        for (var axis = 0; axis < 3; axis++)
        {
            var part = parts[axis].ToLowerInvariant();
            var negative = part.StartsWith('-');
            var name = negative || part.StartsWith('+') ? part[1..] : part;
            var source = name switch { "x" => 0, "y" => 1, "z" => 2, _ => -1 };
            if (source < 0 || (seen & (1 << source)) != 0)
            {
                error = source < 0 ? $"'{parts[axis]}' is not x, y or z with an optional sign" : $"device axis {name} is used twice";
                return false;
            }

            seen |= (byte)(1 << source);
            sources |= (byte)(source << (2 * axis));
            negated |= (byte)((negative ? 1 : 0) << axis);
        }

        map = new AxisMap(sources, negated);
        error = null;
        return true;
    }

    /// <summary>The map as it is written, e.g. <c>-y,x,-z</c>.</summary>
    public override string ToString()
    {
        var self = this;
        return string.Join(',', Enumerable.Range(0, 3).Select(a => (self.Negates(a) ? "-" : string.Empty) + "xyz"[self.SourceOf(a)]));
    }
}

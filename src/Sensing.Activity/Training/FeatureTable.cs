using System.Globalization;
using Sensing.Activity.Features;
using Sensing.Activity.Model;

namespace Sensing.Activity.Training;

/// <summary>
/// Writes every window's features as CSV (participant, label, window index, then one column per feature), so that
/// the separability of classes can be studied outside the tool.
/// </summary>
public static class FeatureTable
{
    /// <summary>Reads the recordings and writes one row per complete window.</summary>
    public static void Write(IReadOnlyList<LabelledRecording> recordings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine("participant,label,window," + string.Join(',', WindowFeatures.Names));
        foreach (var r in FeatureCollector.CollectAll(recordings))
        {
            for (var w = 0; w < r.Rows.Length; w++)
            {
                output.WriteLine($"{r.Recording.Participant},{ActivityLabels.Names[r.Recording.Label]},{r.WindowIndices[w]},{string.Join(',', r.Rows[w].Select(v => v.ToString("R", ci)))}");
            }
        }
    }
}

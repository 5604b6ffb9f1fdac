using Sensing.Activity.Model;
using Sensing.Recordings;

namespace Sensing.Activity.Training;

/// <summary>Finds labelled recordings laid out as <c>&lt;activity&gt;/&lt;participant&gt;.csv[.gz]</c> (the selfBACK layout).</summary>
public static class LabelledRecordingSet
{
    /// <summary>All recordings under <paramref name="folder"/> whose sub-folder names a selfBACK activity, sorted by activity then participant.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No sub-folder names an activity, or no recordings were found.</exception>
    public static IReadOnlyList<LabelledRecording> Scan(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"training folder '{folder}' does not exist");
        }

        var result = new List<LabelledRecording>();
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!ActivityLabels.TryParse(Path.GetFileName(sub), out var label))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(sub).Where(RecordingReader.IsRecording).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                var participant = name[..name.IndexOf('.', StringComparison.Ordinal)];
                result.Add(new LabelledRecording(file, label, participant));
            }
        }

        if (result.Count == 0)
        {
            throw new InvalidDataException(
                $"no labelled recordings in '{folder}': expected sub-folders named {string.Join(", ", ActivityLabels.Names)} holding <participant>.csv[.gz] files");
        }

        return result;
    }
}

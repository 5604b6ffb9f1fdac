namespace Sensing.Activity.Training;

/// <summary>One training recording: a whole file of a single activity by one participant.</summary>
/// <param name="Path">The file.</param>
/// <param name="Label">Index into <see cref="Model.ActivityLabels.Names"/>.</param>
/// <param name="Participant">Participant id (the file name without extensions).</param>
public sealed record LabelledRecording(string Path, int Label, string Participant);

namespace Sensing.Activity.Training;

/// <summary>The feature rows of every complete window of one labelled recording.</summary>
internal sealed record RecordingFeatures(LabelledRecording Recording, long[] WindowIndices, float[][] Rows)
{
    /// <summary>Index of the first window (orders a participant's recordings in time); long.MaxValue when empty.</summary>
    public long FirstWindow => WindowIndices.Length > 0 ? WindowIndices[0] : long.MaxValue;
}

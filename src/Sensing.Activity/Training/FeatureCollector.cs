using Sensing.Activity.Features;
using Sensing.Activity.Resampling;
using Sensing.Core;
using Sensing.Recordings;

namespace Sensing.Activity.Training;

/// <summary>
/// Runs a recording through the same resampler and feature extractor as <see cref="ActivityPipeline"/> and keeps
/// the feature rows, so the model is trained on exactly what it will see.
/// </summary>
internal sealed class FeatureCollector : IWindowSink
{
    private readonly FeatureExtractor _extractor = new(WindowGrid.WindowSamples, WindowGrid.RateHz);
    private readonly WindowContext _context = new();
    private readonly List<long> _indices = [];
    private readonly List<float[]> _rows = [];

    void IWindowSink.OnWindow(long windowIndex, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        var row = new float[WindowFeatures.Count];
        var summary = _extractor.Compute(x, y, z, row);
        _context.Append(windowIndex, summary, row);
        _indices.Add(windowIndex);
        _rows.Add(row);
    }

    /// <summary>Reads one recording and returns its window features.</summary>
    /// <exception cref="RecordingFormatException">The file cannot be read; the message names it.</exception>
    public static RecordingFeatures Collect(LabelledRecording recording)
    {
        var collector = new FeatureCollector();
        var resampler = new GridResampler(collector);
        using var reader = RecordingReader.Open(recording.Path, new RecordingOptions());
        var block = new SampleBlock(4096);
        while (reader.ReadBlock(block))
        {
            if (!block.HasAxes)
            {
                throw new RecordingFormatException(recording.Path, 0, "training needs 3-axis recordings; this one holds only the magnitude");
            }

            resampler.Push(block.Time, block.X, block.Y, block.Z);
        }

        resampler.Complete();
        return new RecordingFeatures(recording, [.. collector._indices], [.. collector._rows]);
    }

    /// <summary>Features of many recordings, read in parallel; the result keeps the input order.</summary>
    public static RecordingFeatures[] CollectAll(IReadOnlyList<LabelledRecording> recordings)
    {
        var result = new RecordingFeatures[recordings.Count];
        Parallel.For(0, recordings.Count, i => result[i] = Collect(recordings[i]));
        return result;
    }
}

using Sensing.Core;

namespace Sensing.Recordings.Tests;

/// <summary>Every sample of a recording, read through the public streaming API into plain arrays for assertions.</summary>
public sealed class RecordedSamples
{
    public List<long> Time { get; } = [];

    public List<float> X { get; } = [];

    public List<float> Y { get; } = [];

    public List<float> Z { get; } = [];

    public int Count => Time.Count;

    /// <summary>How many ReadBlock calls returned samples.</summary>
    public int Blocks { get; private set; }

    public static RecordedSamples ReadAll(IRecordingReader reader, int blockSize = 4096)
    {
        var samples = new RecordedSamples();
        var block = new SampleBlock(blockSize);
        while (reader.ReadBlock(block))
        {
            Assert.InRange(block.Count, 1, blockSize);
            samples.Blocks++;
            for (var i = 0; i < block.Count; i++)
            {
                samples.Time.Add(block.Time[i]);
                samples.X.Add(block.X[i]);
                samples.Y.Add(block.Y[i]);
                samples.Z.Add(block.Z[i]);
            }
        }

        Assert.Equal(0, block.Count);
        Assert.False(reader.ReadBlock(block), "a reader that has ended stays ended");
        return samples;
    }

    public static RecordedSamples ReadAll(string path, RecordingOptions? options = null, int blockSize = 4096)
    {
        using var reader = RecordingReader.Open(path, options ?? new RecordingOptions());
        return ReadAll(reader, blockSize);
    }

    /// <summary>Microseconds since 1970 of a wall-clock time, as readers count local times.</summary>
    public static long Micros(DateTime wall) => (wall.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}

using Sensing.Core;

namespace Sensing.Recordings.Tests.Csv;

/// <summary>--axes: a device's axes put into the wrist frame as the recording is read.</summary>
public sealed class CsvAxisMapTests : CsvFiles
{
    [Theory]
    [InlineData("x,y,z", "x,y,z")]
    [InlineData("banglejs", "-y,x,-z")]
    [InlineData("BangleJS", "-y,x,-z")]
    [InlineData("ax3", "x,y,z")]
    [InlineData(" +z , -x , y ", "z,-x,y")]
    public void Maps_and_device_names_parse_to_their_written_form(string text, string written)
    {
        Assert.True(AxisMap.TryParse(text, out var map, out var error), error);
        Assert.Equal(written, map.ToString());
        Assert.Equal(written == "x,y,z", map.IsIdentity);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("x,y", "names 2 axes")]
    [InlineData("x,x,z", "used twice")]
    [InlineData("x,y,w", "'w' is not x, y or z")]
    [InlineData("--x,y,z", "'--x' is not x, y or z")]
    public void Bad_maps_say_what_is_wrong(string text, string reason)
    {
        Assert.False(AxisMap.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_is_moved_and_negated_as_the_map_says_in_every_block()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => $"{i * 10},{0.001 * i},{-0.002 * i},{1 + (0.0001 * i)}");
        var path = Write("axes.csv", "time,x,y,z", rows);
        using var plain = Open(path);
        var device = RecordedSamples.ReadAll(plain);
        Assert.True(AxisMap.TryParse("banglejs", out var map, out _));
        using var mapped = Open(path, new RecordingOptions { Axes = map });
        var wrist = RecordedSamples.ReadAll(mapped, blockSize: 97);

        Assert.Equal(device.Time, wrist.Time);
        Assert.Equal(device.Y.Select(v => -v), wrist.X);
        Assert.Equal(device.X, wrist.Y);
        Assert.Equal(device.Z.Select(v => -v), wrist.Z);
        Assert.Contains(mapped.Info.Notes, n => n.Contains("-y,x,-z", StringComparison.Ordinal));
    }

    [Fact]
    public void A_magnitude_only_recording_is_left_as_it_is()
    {
        var path = Write("magnitude.csv", "time,magnitude", Enumerable.Range(0, 100).Select(i => $"{i * 10},{1 + (0.01 * i)}"));
        using var plain = Open(path);
        Assert.True(AxisMap.TryParse("-y,x,-z", out var map, out _));
        using var mapped = Open(path, new RecordingOptions { Axes = map });
        Assert.Equal(RecordedSamples.ReadAll(plain).X, RecordedSamples.ReadAll(mapped).X);
    }
}

using System.Globalization;
using System.Text;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary>A recording the tests write for the tool: a still wrist at 25 Hz, or a rhythmic 1.8 steps/s swing.</summary>
internal static class SyntheticRecording
{
    public static string Write(TempFolder folder, string relative, int seconds, bool walking)
    {
        var path = folder.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("Time (ms),X,Y,Z\n");
        for (var i = 0; i < seconds * 25; i++)
        {
            var t = i / 25.0;
            var swing = walking ? 0.5 * Math.Sin(Math.PI * 1.8 * t) : 0;
            var bounce = walking ? 0.2 * Math.Cos(2 * Math.PI * 1.8 * t) : 0;
            text.Append(CultureInfo.InvariantCulture, $"{i * 40},{Math.Sin(swing) * (1 + bounce):0.0000},0.1,{-Math.Cos(swing) * (1 + bounce):0.0000}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}

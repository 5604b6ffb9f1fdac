using Sensing.Recordings;
using Sensing.Testing;

namespace Sensing.Signal.Tests.Steps;

/// <summary>
/// The step counter on the selfBACK stair recordings (../shared/data/wrist-activity-selfback, 100 Hz, 38 people each
/// up and down about 70 s of stairs, no step truth): the wrist's rhythm on stairs seldom reads as strong as on level
/// ground, and stairs must still be counted at a stair cadence.
/// </summary>
public sealed class SelfbackStairsTests
{
    private const string Folder = "wrist-activity-selfback";

    [SharedDataFact(Folder)]
    public void StairClimbs_AreCountedAtAStairCadence()
    {
        var root = SharedData.Folder(Folder)!;
        var files = new[] { "upstairs", "downstairs" }
            .SelectMany(activity => Directory.GetFiles(Path.Combine(root, activity), "*.csv.gz"))
            .Order()
            .ToList();
        var cadences = files.Select(StepsPerMinute).ToList();

        // Stairs are climbed at about 60-140 steps a minute; landings and turns take a little off the file's mean.
        var counted = cadences.Count(c => c is >= 60 and <= 140);
        Assert.True(counted >= 0.85 * files.Count, $"{counted} of {files.Count} stair recordings counted at 60-140 steps/min: {string.Join(" ", cadences.Select(c => c.ToString("0")))}");
        Assert.All(cadences, c => Assert.True(c <= 150, $"{c:0} steps/min on stairs"));
    }

    private static double StepsPerMinute(string path)
    {
        var (steps, _, seconds) = RecordedSteps.Run(path, new RecordingOptions());
        return steps * 60 / Math.Max(1, seconds);
    }
}

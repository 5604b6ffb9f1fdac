using Sensing.Testing;

namespace Sensing.Signal.Tests.Steps;

/// <summary>
/// The step counter on the selfBACK recordings (../shared/data/wrist-activity-selfback, 100 Hz, 38 people each walking
/// about 3 minutes slowly, at a moderate pace and fast, and up and down about 70 s of stairs; no step truth), judged by
/// the cadences people walk at.
/// </summary>
public sealed class SelfbackStepTests
{
    private const string Folder = "wrist-activity-selfback";

    [SharedDataFact(Folder)]
    public void StairClimbs_AreCountedAtAStairCadence()
    {
        // The wrist's rhythm on stairs seldom reads as strong as on level ground.
        var cadences = Cadences("upstairs").Concat(Cadences("downstairs")).Select(pair => pair.Value).ToList();

        // Stairs are climbed at about 60-140 steps a minute; landings and turns take a little off the file's mean.
        var counted = cadences.Count(c => c is >= 60 and <= 140);
        Assert.True(counted >= 0.85 * cadences.Count, $"{counted} of {cadences.Count} stair recordings counted at 60-140 steps/min: {string.Join(" ", cadences.Select(c => c.ToString("0")))}");
        Assert.All(cadences, c => Assert.True(c <= 150, $"{c:0} steps/min on stairs"));
    }

    [SharedDataFact(Folder)]
    public void SlowWalks_AreCountedAtAWalkingCadence_AndNoFasterThanTheSamePersonsModerateWalk()
    {
        // Some slow walkers' steps each show two peaks of the magnitude, so the rhythm repeats at half the step, at a
        // run's cadence: such a walk must still be counted at its own cadence, not at twice it.
        var slow = Cadences("walk_slow");
        var moderate = Cadences("walk_mod");

        // A slow walk is well under 130 steps a minute (a brisk walk's cadence); before the rule for a run's cadence at
        // a walk's intensity, three were counted at 141-155.
        Assert.All(slow, pair => Assert.True(pair.Value <= 130, $"{pair.Key}: slow walk counted at {pair.Value:0} steps/min"));

        // Before it, four people's slow walks were counted 13-45 % faster than their moderate ones.
        var faster = slow.Where(pair => moderate.TryGetValue(pair.Key, out var m) && pair.Value > 1.05 * m)
            .Select(pair => $"{pair.Key}: slow {pair.Value:0}, moderate {moderate[pair.Key]:0} steps/min")
            .ToList();
        Assert.True(faster.Count == 0, string.Join("; ", faster));
    }

    // Steps per minute of each recording of one activity, by participant file name.
    private static Dictionary<string, double> Cadences(string activity)
        => Directory.GetFiles(Path.Combine(SharedData.Folder(Folder)!, activity), "*.csv.gz")
            .Order()
            .ToDictionary(path => Path.GetFileName(path), RecordedSteps.PerMinute);
}

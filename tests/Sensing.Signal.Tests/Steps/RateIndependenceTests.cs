using Sensing.Core;
using Sensing.Recordings;
using Sensing.Signal.Steps;
using Sensing.Testing;

namespace Sensing.Signal.Tests.Steps;

/// <summary>
/// The same walks recorded at a lower rate give the same steps: each 100 Hz recording is counted as it is and again
/// decimated to 50, 25 and 12.5 Hz (every 2nd, 4th, 8th sample), as a wristband that samples slower would have seen it.
/// A counter whose filters or periods were tied to one rate would drift here (wristbands sample at 10-200 Hz).
/// </summary>
public sealed class RateIndependenceTests
{
    [SharedDataTheory("wrist-activity-selfback")]
    [InlineData("walk_slow")]
    [InlineData("walk_mod")]
    [InlineData("walk_fast")]
    [InlineData("upstairs")]
    [InlineData("downstairs")]
    [InlineData("jogging")]
    public void SelfbackWalks_CountTheSameStepsAtLowerRates(string activity)
        => AssertRateIndependent(Directory.GetFiles(Path.Combine(SharedData.Folder("wrist-activity-selfback")!, activity), "*.csv.gz"));

    [SharedDataFact("phone-steps-oxford")]
    public void OxfordTraces_CountTheSameStepsAtLowerRates()
        => AssertRateIndependent(Directory.GetDirectories(SharedData.Folder("phone-steps-oxford")!)
            .Select(trace => Path.Combine(trace, "accelerometer.csv.gz"))
            .Where(File.Exists));

    // The summed steps of the recordings at each lower rate within 5 % of their own rate's (seen: at most 3.5 %).
    private static void AssertRateIndependent(IEnumerable<string> files)
    {
        var totals = new double[4];
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var (rate, samples) = Read(file);
            for (var k = 0; k < totals.Length; k++)
            {
                totals[k] += Count(samples, rate, 1 << k);
            }
        }

        Assert.True(totals[0] > 0, "the recordings hold steps");
        for (var k = 1; k < totals.Length; k++)
        {
            Assert.True(Math.Abs((totals[k] / totals[0]) - 1) <= 0.05, $"one sample in {1 << k}: {totals[k]} steps against {totals[0]}");
        }
    }

    private static (double RateHz, SampleBlock Samples) Read(string path)
    {
        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var block = new SampleBlock(4096);
        var all = new SampleBlock(4096);
        while (reader.ReadBlock(block))
        {
            for (var i = 0; i < block.Count; i++)
            {
                if (all.Count == all.Capacity)
                {
                    all = Grown(all);
                }

                all.Add(block.Time[i], block.X[i], block.Y[i], block.Z[i]);
            }
        }

        return (reader.Info.NominalRateHz, all);
    }

    private static SampleBlock Grown(SampleBlock block)
    {
        var larger = new SampleBlock(2 * block.Capacity);
        for (var i = 0; i < block.Count; i++)
        {
            larger.Add(block.Time[i], block.X[i], block.Y[i], block.Z[i]);
        }

        return larger;
    }

    private static long Count(SampleBlock samples, double rateHz, int every)
    {
        var counter = new StepCounter(rateHz / every);
        var block = new SampleBlock(4096);
        for (var i = 0; i < samples.Count; i += every)
        {
            block.Add(samples.Time[i], samples.X[i], samples.Y[i], samples.Z[i]);
            if (block.Count == block.Capacity)
            {
                counter.Push(block);
                block.Clear();
            }
        }

        counter.Push(block);
        counter.Complete();
        return counter.Steps;
    }
}

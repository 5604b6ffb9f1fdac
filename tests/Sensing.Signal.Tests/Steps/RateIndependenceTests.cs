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
            var (rate, blocks) = Read(file);
            for (var k = 0; k < totals.Length; k++)
            {
                totals[k] += Count(blocks, rate, 1 << k);
            }
        }

        Assert.True(totals[0] > 0, "the recordings hold steps");
        for (var k = 1; k < totals.Length; k++)
        {
            Assert.True(Math.Abs((totals[k] / totals[0]) - 1) <= 0.05, $"one sample in {1 << k}: {totals[k]} steps against {totals[0]}");
        }
    }

    private static (double RateHz, List<SampleBlock> Blocks) Read(string path)
    {
        using var reader = RecordingReader.Open(path, new RecordingOptions());
        var blocks = new List<SampleBlock>();
        var block = new SampleBlock(4096);
        while (reader.ReadBlock(block))
        {
            blocks.Add(block.Slice(0, block.Count));
        }

        return (reader.Info.NominalRateHz, blocks);
    }

    // The recording's every `every`th sample (counted over the whole stream) through a counter at the lower rate.
    private static long Count(List<SampleBlock> blocks, double rateHz, int every)
    {
        var counter = new StepCounter(rateHz / every);
        var kept = new SampleBlock(4096);
        var index = 0;
        foreach (var block in blocks)
        {
            for (var i = 0; i < block.Count; i++, index++)
            {
                if (index % every == 0)
                {
                    kept.Add(block.Time[i], block.X[i], block.Y[i], block.Z[i]);
                }
            }

            counter.Push(kept);
            kept.Clear();
        }

        counter.Complete();
        return counter.Steps;
    }
}

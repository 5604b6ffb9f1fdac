using System.Runtime.Intrinsics;
using Sensing.Activity.Features;
using Sensing.Activity.Model;
using Sensing.Testing;

namespace Sensing.Activity.Tests.Model;

public class ActivityModelTests
{
    [Fact]
    public void The_embedded_model_loads_and_round_trips_through_a_file()
    {
        var model = ActivityModel.LoadDefault();
        Assert.Contains("sensing train activity", model.Description);
        using var folder = new TempFolder();
        var path = folder.File("m.bin");
        model.Save(path);
        var loaded = ActivityModel.Load(path);
        var random = new Random(2);
        var features = Enumerable.Range(0, WindowFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();
        var a = new float[ActivityLabels.Count];
        var b = new float[ActivityLabels.Count];
        model.Forest.Predict(features, a);
        loaded.Forest.Predict(features, b);
        Assert.Equal(a, b);
        Assert.Equal(1f, a.Sum(), 3);
    }

    [Fact]
    public void The_forests_probabilities_are_exact_in_half_precision_so_waiting_windows_can_hold_them_in_two_bytes()
    {
        var model = ActivityModel.LoadDefault();
        var random = new Random(3);
        var probabilities = new float[ActivityLabels.Count];
        for (var trial = 0; trial < 500; trial++)
        {
            var features = Enumerable.Range(0, WindowFeatures.Count).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
            model.Forest.Predict(features, probabilities);
            foreach (var p in probabilities)
            {
                Assert.Equal(p, (float)(Half)p);
            }

            Assert.Equal(1f, probabilities.Sum(), 2);
        }
    }

    [Fact]
    public void Leaves_added_as_vectors_give_the_probabilities_of_leaves_added_class_by_class()
    {
        // Each feature set just above or below one of the forest's own thresholds for it, so the walks spread over the
        // trees' leaves rather than all taking one path.
        var forest = ActivityModel.LoadDefault().Forest;
        var thresholds = Enumerable.Range(0, WindowFeatures.Count)
            .Select(f => Enumerable.Range(0, forest.NodeCount).Where(i => forest.Feature[i] == f).Select(i => forest.Threshold[i]).DefaultIfEmpty(0f).ToArray())
            .ToArray();
        var random = new Random(4);
        var (vector, scalar) = (new float[ActivityLabels.Count], new float[ActivityLabels.Count]);
        var outcomes = new HashSet<string>();
        for (var trial = 0; trial < 2000; trial++)
        {
            var features = thresholds.Select(t => t[random.Next(t.Length)] + (random.Next(2) == 0 ? -1e-4f : 1e-4f)).ToArray();
            forest.Predict(features, vector, allowVectors: true);
            forest.Predict(features, scalar, allowVectors: false);
            Assert.Equal(scalar, vector);
            outcomes.Add(string.Join(",", vector));
        }

        Assert.True(outcomes.Count > 500, $"only {outcomes.Count} different predictions: the trial features reach too few leaves");
    }

    [Fact]
    public void Rounding_to_half_precision_in_vector_lanes_is_the_conversion_to_half_and_back()
    {
        // Every exponent a probability can have, ties between two halves, and the edges of Half's normal range.
        var random = new Random(6);
        var edges = new[] { 0f, 1f, 1f / 16384, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f / 16384) - 1), 5.9604645e-8f, 2.9802322e-8f, 0.99999994f };
        var values = edges.Concat(Enumerable.Range(0, 20009).Select(_ => MathF.Pow(2f, -(float)(random.NextDouble() * 30)) * (float)random.NextDouble()))
            .Concat(Enumerable.Range(0, 4000).Select(_ => BitConverter.Int32BitsToSingle((random.Next(0x3000_0000, 0x3F80_0000) & ~0x0FFF) | 0x1000)))
            .ToArray();
        var lanes = new float[Vector512<float>.Count];
        for (var at = 0; at + lanes.Length <= values.Length; at += lanes.Length)
        {
            var rounded = DecisionForest.RoundToHalf(Vector512.Create(values.AsSpan(at, lanes.Length)));
            for (var k = 0; k < lanes.Length; k++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits((float)(Half)values[at + k]), BitConverter.SingleToInt32Bits(rounded.GetElement(k)));
            }
        }
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ActivityModel.Load("/no/such/model.bin"));
        Assert.Equal(ModelRejectionReason.Missing, ex.Reason);
        Assert.Contains("/no/such/model.bin", ex.Message);
    }

    [Fact]
    public void Truncated_files_are_refused_at_every_length()
    {
        var bytes = Bytes();
        using var folder = new TempFolder();
        foreach (var length in new[] { 0, 4, 8, 15, 21, 22, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            var path = folder.File($"cut{length}.bin");
            File.WriteAllBytes(path, bytes[..length]);
            var ex = Assert.Throws<ModelFormatException>(() => ActivityModel.Load(path));
            Assert.Equal(ModelRejectionReason.Truncated, ex.Reason);
            Assert.Contains(path, ex.Message);
        }
    }

    [Fact]
    public void Another_version_says_which_was_expected()
    {
        var bytes = Bytes();
        bytes[8] = 99;
        var ex = Assert.Throws<ModelFormatException>(() => ActivityModel.Read(new MemoryStream(bytes), "x.bin"));
        Assert.Equal(ModelRejectionReason.UnsupportedVersion, ex.Reason);
        Assert.Contains($"reads version {ActivityModel.FormatVersion}", ex.Message);
    }

    [Fact]
    public void Other_files_and_flipped_bytes_are_refused()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ActivityModel.Read(new MemoryStream("time,x,y,z\n0,0,0,1\n1,0,0,1\n"u8.ToArray()), "data.csv"));
        Assert.Equal(ModelRejectionReason.NotAModel, ex.Reason);
        var bytes = Bytes();
        bytes[^10] ^= 0x5A;
        ex = Assert.Throws<ModelFormatException>(() => ActivityModel.Read(new MemoryStream(bytes), "flipped.bin"));
        Assert.Equal(ModelRejectionReason.Corrupt, ex.Reason);
    }

    private static byte[] Bytes()
    {
        var stream = new MemoryStream();
        ActivityModel.LoadDefault().Write(stream);
        return stream.ToArray();
    }
}

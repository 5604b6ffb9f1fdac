using System.IO.Compression;
using System.Text;
using Sensing.Activity.Features;
using Sensing.Activity.Resampling;
using Sensing.Activity.Smoothing;

namespace Sensing.Activity.Model;

/// <summary>
/// A trained activity classifier: the random forest over window features, the HMM that smooths its output over
/// time, and a note of how it was made. Immutable and thread-safe; one instance serves many pipelines.
/// </summary>
/// <remarks>
/// File format (little-endian): 8 magic bytes <c>SENSACTM</c>, a 16-bit format version (<see cref="FormatVersion"/>),
/// the payload's length and FNV-1a checksum (32-bit each), the deflated length, then the deflated payload: feature
/// schema version and count, label names, window grid, description, forest arrays, HMM log-probabilities.
/// </remarks>
public sealed class ActivityModel
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Name of the embedded model resource.</summary>
    public const string ResourceName = "Sensing.Activity.Model.activity-model.bin";

    private static readonly byte[] Magic = "SENSACTM"u8.ToArray();
    private static readonly Lazy<ActivityModel> Default = new(LoadEmbedded);

    internal ActivityModel(DecisionForest forest, HiddenMarkovModel smoother, string description)
    {
        if (forest.FeatureCount != WindowFeatures.Count || forest.ClassCount != ActivityLabels.Count || smoother.States != ActivityLabels.Count)
        {
            throw new ArgumentException("The forest and HMM must match the feature layout and the label set.");
        }

        Forest = forest;
        Smoother = smoother;
        Description = description;
    }

    internal DecisionForest Forest { get; }

    internal HiddenMarkovModel Smoother { get; }

    /// <summary>How the model was trained (command, data, seed), as written by the trainer.</summary>
    public string Description { get; }

    /// <summary>Number of trees in the forest.</summary>
    public int TreeCount => Forest.TreeCount;

    /// <summary>The model shipped inside this assembly (trained by <c>sensing train activity</c> on the selfBACK set).</summary>
    /// <exception cref="ModelFormatException">The build carries no usable embedded model.</exception>
    public static ActivityModel LoadDefault() => Default.Value;

    /// <summary>Loads a model file.</summary>
    /// <exception cref="ModelFormatException">The file is missing, truncated, of another version, or corrupt; the message names it and says what was expected.</exception>
    public static ActivityModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, ModelRejectionReason.Missing, $"no file there; expected a model written by 'sensing train activity' (format version {FormatVersion})");
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Writes the model to a file (replacing it).</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        Write(stream);
    }

    /// <summary>Writes the model to a stream.</summary>
    public void Write(Stream stream)
    {
        var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(WindowFeatures.SchemaVersion);
            w.Write(WindowFeatures.Count);
            w.Write(ActivityLabels.Count);
            foreach (var name in ActivityLabels.Names)
            {
                w.Write(name);
            }

            w.Write(WindowGrid.RateHz);
            w.Write(WindowGrid.WindowSamples);
            w.Write(Description);
            var f = Forest;
            w.Write(f.TreeCount);
            w.Write(f.NodeCount);
            w.Write(f.LeafDistributions.Length);
            foreach (var r in f.Roots)
            {
                w.Write(r);
            }

            for (var i = 0; i < f.NodeCount; i++)
            {
                w.Write(f.Feature[i]);
                w.Write(f.Threshold[i]);
                w.Write(f.RightChild[i]);
            }

            foreach (var p in f.LeafDistributions)
            {
                w.Write((Half)p);
            }

            foreach (var v in Smoother.LogInitial)
            {
                w.Write(v);
            }

            foreach (var v in Smoother.LogTransition)
            {
                w.Write(v);
            }
        }

        var bytes = payload.ToArray();
        var deflated = new MemoryStream();
        using (var z = new DeflateStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(bytes);
        }

        using var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write((ushort)FormatVersion);
        header.Write(bytes.Length);
        header.Write(Fnv1a(bytes));
        header.Write((int)deflated.Length);
        header.Write(deflated.GetBuffer(), 0, (int)deflated.Length);
    }

    /// <summary>Reads a model from a stream; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="ModelFormatException">See <see cref="Load"/>.</exception>
    public static ActivityModel Read(Stream stream, string name)
    {
        var head = new byte[8 + 2 + 4 + 4 + 4];
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got < Magic.Length || !head.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException(name, got < Magic.Length ? ModelRejectionReason.Truncated : ModelRejectionReason.NotAModel,
                $"expected the 8 bytes 'SENSACTM' at the start, found {got} byte(s) that differ");
        }

        if (got < head.Length)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Truncated, $"the header needs {head.Length} bytes, the file has {got}");
        }

        var version = BitConverter.ToUInt16(head, 8);
        if (version != FormatVersion)
        {
            throw new ModelFormatException(name, ModelRejectionReason.UnsupportedVersion, $"file is version {version}, this build reads version {FormatVersion}; retrain with 'sensing train activity'");
        }

        var length = BitConverter.ToInt32(head, 10);
        var checksum = BitConverter.ToUInt32(head, 14);
        var deflatedLength = BitConverter.ToInt32(head, 18);
        if (length <= 0 || deflatedLength <= 0 || length > 64 << 20)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Corrupt, $"implausible payload length {length} (deflated {deflatedLength})");
        }

        var deflated = new byte[deflatedLength];
        got = stream.ReadAtLeast(deflated, deflatedLength, throwOnEndOfStream: false);
        if (got < deflatedLength)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Truncated, $"expected {deflatedLength} payload bytes after the header, found {got}");
        }

        var bytes = new byte[length];
        try
        {
            using var z = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
            got = z.ReadAtLeast(bytes, length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Corrupt, "the payload does not inflate", ex);
        }

        if (got != length || Fnv1a(bytes) != checksum)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Corrupt, "the payload checksum does not match");
        }

        try
        {
            return ReadPayload(bytes, name);
        }
        catch (EndOfStreamException ex)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Corrupt, "the payload ends early", ex);
        }
    }

    private static ActivityModel ReadPayload(byte[] bytes, string name)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var schema = r.ReadInt32();
        var featureCount = r.ReadInt32();
        var labelCount = r.ReadInt32();
        var labels = new string[labelCount];
        for (var i = 0; i < labelCount; i++)
        {
            labels[i] = r.ReadString();
        }

        var rate = r.ReadSingle();
        var windowSamples = r.ReadInt32();
        if (schema != WindowFeatures.SchemaVersion || featureCount != WindowFeatures.Count || !labels.SequenceEqual(ActivityLabels.Names) ||
            rate != WindowGrid.RateHz || windowSamples != WindowGrid.WindowSamples)
        {
            throw new ModelFormatException(name, ModelRejectionReason.IncompatibleFeatures,
                $"file has feature schema {schema} ({featureCount} features, {labelCount} labels, {rate} Hz x {windowSamples}); " +
                $"this build expects schema {WindowFeatures.SchemaVersion} ({WindowFeatures.Count} features, {ActivityLabels.Count} labels, {WindowGrid.RateHz} Hz x {WindowGrid.WindowSamples})");
        }

        var description = r.ReadString();
        var trees = r.ReadInt32();
        var nodes = r.ReadInt32();
        var leafValues = r.ReadInt32();
        if (trees <= 0 || nodes <= 0 || leafValues <= 0 || leafValues % labelCount != 0 || nodes >= 1 << 23 || leafValues >= 1 << 23)
        {
            throw new ModelFormatException(name, ModelRejectionReason.Corrupt, $"implausible forest size ({trees} trees, {nodes} nodes)");
        }

        var roots = new int[trees];
        for (var i = 0; i < trees; i++)
        {
            roots[i] = r.ReadInt32();
        }

        var feature = new short[nodes];
        var threshold = new float[nodes];
        var right = new int[nodes];
        for (var i = 0; i < nodes; i++)
        {
            feature[i] = r.ReadInt16();
            threshold[i] = r.ReadSingle();
            right[i] = r.ReadInt32();
        }

        var leaves = new float[leafValues];
        for (var i = 0; i < leafValues; i++)
        {
            leaves[i] = (float)r.ReadHalf();
        }

        var logInitial = new float[labelCount];
        for (var i = 0; i < labelCount; i++)
        {
            logInitial[i] = r.ReadSingle();
        }

        var logTransition = new float[labelCount * labelCount];
        for (var i = 0; i < logTransition.Length; i++)
        {
            logTransition[i] = r.ReadSingle();
        }

        ValidateForest(name, roots, feature, right, nodes, leafValues, labelCount);
        return new ActivityModel(new DecisionForest(featureCount, labelCount, roots, feature, threshold, right, leaves), new HiddenMarkovModel(logInitial, logTransition), description);
    }

    /// <summary>Every index must stay inside its array, so that prediction can never read out of bounds or loop.</summary>
    private static void ValidateForest(string name, int[] roots, short[] feature, int[] right, int nodes, int leafValues, int classes)
    {
        foreach (var root in roots)
        {
            if ((uint)root >= (uint)nodes)
            {
                throw new ModelFormatException(name, ModelRejectionReason.Corrupt, $"tree root {root} outside {nodes} nodes");
            }
        }

        for (var i = 0; i < nodes; i++)
        {
            var ok = feature[i] < 0
                ? right[i] >= 0 && right[i] + classes <= leafValues
                : feature[i] < WindowFeatures.Count && i + 1 < nodes && right[i] > i + 1 && right[i] < nodes;
            if (!ok)
            {
                throw new ModelFormatException(name, ModelRejectionReason.Corrupt, $"node {i} points outside the forest");
            }
        }
    }

    private static ActivityModel LoadEmbedded()
    {
        using var stream = typeof(ActivityModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new ModelFormatException(ResourceName, ModelRejectionReason.Missing, "this build of Sensing.Activity carries no embedded model; train one with 'sensing train activity'");
        return Read(stream, "embedded:" + ResourceName);
    }

    private static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

using BenchmarkDotNet.Attributes;
using Sensing.Activity.Features;
using Sensing.Activity.Model;
using Sensing.Activity.Resampling;

namespace Sensing.Benchmarks;

/// <summary>
/// The per-window cost of classification: features of one 10 s window on the 12.5 Hz grid, then the forest. At
/// 100 Hz input a window is 1,000 input samples, so the 250 M samples/s pipeline target leaves about 2 us for this
/// plus the HMM step. Windows alternate between a walking-like swing and a still, breathing wrist (the two cost
/// differently in the forest: still windows go deeper in the posture trees). The minimum is shown beside the mean
/// because the machine is shared: the minimum is the cost without other processes' interference.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ActivityWindowBenchmarks
{
    private const int Windows = 64;
    private readonly float[][] _x = new float[Windows][];
    private readonly float[][] _y = new float[Windows][];
    private readonly float[][] _z = new float[Windows][];
    private readonly float[] _features = new float[WindowFeatures.Count];
    private readonly float[] _probabilities = new float[ActivityLabels.Count];
    private readonly WindowContext _context = new();
    private FeatureExtractor _extractor = null!;
    private ActivityModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = ActivityModel.LoadDefault();
        _extractor = new FeatureExtractor(WindowGrid.WindowSamples, WindowGrid.RateHz);
        var random = new Random(1);
        for (var w = 0; w < Windows; w++)
        {
            (_x[w], _y[w], _z[w]) = (new float[WindowGrid.WindowSamples], new float[WindowGrid.WindowSamples], new float[WindowGrid.WindowSamples]);
            var moving = w % 2 == 0;
            for (var i = 0; i < WindowGrid.WindowSamples; i++)
            {
                var t = ((w * WindowGrid.WindowSamples) + i) / WindowGrid.RateHz;
                var swing = moving ? (float)Math.Sin(2 * Math.PI * 1.9 * t) : 0.01f * (float)Math.Sin(2 * Math.PI * 0.25 * t);
                var noise = (float)(random.NextDouble() - 0.5) * 0.01f;
                _x[w][i] = (0.3f * swing) + noise;
                _y[w][i] = -0.9f + (0.2f * swing);
                _z[w][i] = 0.25f + noise;
            }
        }
    }

    /// <summary>Feature extraction of one window, its minute of context included.</summary>
    [Benchmark(OperationsPerInvoke = Windows)]
    public float FeaturesPerWindow()
    {
        var total = 0f;
        for (var w = 0; w < Windows; w++)
        {
            _context.Append(w, _extractor.Compute(_x[w], _y[w], _z[w], _features), _features);
            total += _features[0];
        }

        return total;
    }

    /// <summary>Feature extraction and forest prediction of one window: the classifier's per-window work before the HMM.</summary>
    [Benchmark(OperationsPerInvoke = Windows)]
    public float FeaturesAndForestPerWindow()
    {
        var total = 0f;
        for (var w = 0; w < Windows; w++)
        {
            _context.Append(w, _extractor.Compute(_x[w], _y[w], _z[w], _features), _features);
            _model.Forest.Predict(_features, _probabilities);
            total += _probabilities[0];
        }

        return total;
    }
}

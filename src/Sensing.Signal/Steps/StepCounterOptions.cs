namespace Sensing.Signal.Steps;

/// <summary>
/// The step counter's design parameters. Each is a property of walking or of the wrist, stated in physical units,
/// not a constant fitted to one recording.
/// </summary>
public sealed record StepCounterOptions
{
    /// <summary>Rate of the uniform grid the detector runs on. 25 Hz keeps the step band (up to 4 Hz) far below Nyquist.</summary>
    public double InternalRateHz { get; init; } = 25;

    /// <summary>Lower edge of the analysis band: 0.3 Hz keeps the arm swing of a very slow walk (stride 3 s).</summary>
    public double BandLowHz { get; init; } = 0.3;

    /// <summary>Upper edge of the analysis band: 4 Hz is 240 steps per minute, faster than a sprint cadence.</summary>
    public double BandHighHz { get; init; } = 4.0;

    /// <summary>Butterworth order of each band edge.</summary>
    public int FilterOrder { get; init; } = 2;

    /// <summary>Length of the window whose periodicity decides walking, seconds: about three strides of a slow walk.</summary>
    public int WindowSeconds { get; init; } = 8;

    /// <summary>Cadence range: 0.7-4 steps/s (42-240 steps per minute).</summary>
    public double MinCadence { get; init; } = 0.7;

    /// <summary>Highest cadence, steps per second.</summary>
    public double MaxCadence { get; init; } = 4.0;

    /// <summary>
    /// Autocorrelation the arm swing must reach at the stride period for the window to be rhythmic. A stride repeats
    /// the whole arm movement, so on a walking wrist the three axes correlate strongly one stride apart.
    /// </summary>
    public float MinSwingCorrelation { get; init; } = 0.45f;

    /// <summary>Autocorrelation the magnitude must reach at half the stride period: the heel strikes repeat every step.</summary>
    public float MinStepCorrelation { get; init; } = 0.1f;

    /// <summary>Shortest arm-swing (stride) period searched, seconds: a brisk walk's stride is about 1 s; running's is shorter and is found through the magnitude.</summary>
    public double MinStrideSeconds { get; init; } = 0.75;

    /// <summary>
    /// A stride this long or longer may show in the magnitude at the whole stride (one side's heel strike dominating)
    /// rather than at half of it; shorter whole-period repeats are steps.
    /// </summary>
    public double MinStrideOnlySeconds { get; init; } = 0.9;

    /// <summary>Without an arm swing (hand in a pocket, carrying), the magnitude alone must be this periodic.</summary>
    public float MinStepCorrelationAlone { get; init; } = 0.6f;

    /// <summary>Once walking, the rhythm (arm swing or magnitude) need only reach this to go on: a walk is continuous.</summary>
    public float ContinueCorrelation { get; init; } = 0.5f;

    /// <summary>Largest change of cadence from one second to the next within a walk, as a fraction.</summary>
    public double CadenceChange { get; init; } = 1.0;

    /// <summary>Seconds a walk may lose its rhythm and still go on at its cadence (a turn, a door, a kerb).</summary>
    public int BridgeSeconds { get; init; } = 0;

    /// <summary>Shortest step, seconds: a peak must be the largest within this time either side (4 steps/s).</summary>
    public double MinStepSeconds { get; init; } = 0.24;

    /// <summary>A step peak must stand this high above zero in the band-passed magnitude, g.</summary>
    public double MinPeakG { get; init; } = 0.03;

    /// <summary>A step peak must reach this fraction of the recent RMS of the band-passed magnitude.</summary>
    public double PeakFraction { get; init; } = 0.3;

    /// <summary>When a walking second has fewer peaks than this fraction of its cadence, its steps come from the cadence.</summary>
    public double FillBelowCadence { get; init; } = 0.75;

    /// <summary>Windows in a row whose magnitude period must agree for a weaker rhythm to count as walking.</summary>
    public int StableWindows { get; init; } = 3;

    /// <summary>How far those periods may stray from their median, as a fraction.</summary>
    public double StablePeriodTolerance { get; init; } = 0.1;

    /// <summary>Least autocorrelation for a window's period to be considered at all on the stable path.</summary>
    public float StableCorrelation { get; init; } = 0.25f;

    /// <summary>Least mean autocorrelation over those windows.</summary>
    public float StableMeanCorrelation { get; init; } = 0.45f;

    /// <summary>A peak counts as "the" period only if within this fraction of the best peak in range.</summary>
    public float NearBestPeak { get; init; } = 0.85f;

    /// <summary>RMS of the band-passed magnitude below which the wrist is too still to be walking, g.</summary>
    public double MinAmplitudeG { get; init; } = 0.05;

    /// <summary>Seconds of consecutive rhythmic windows before a bout is walking; its earlier seconds then count too.</summary>
    public int SecondsToConfirm { get; init; } = 5;

    /// <summary>Steps a bout must hold before it is walking (as Espruino's steps-in-a-row): a shuffle is not a walk.</summary>
    public int StepsToConfirm { get; init; } = 8;

    /// <summary>A forward jump in time longer than this is a gap: no step is counted across it.</summary>
    public TimeSpan GapThreshold { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Width of the box filter applied at the input rate before resampling (anti-aliasing at high input rates).</summary>
    internal int BoxWidthFor(double inputRateHz) => Math.Max(1, (int)Math.Round(inputRateHz / InternalRateHz));
}

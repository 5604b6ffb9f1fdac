namespace Sensing.Signal.Steps;

/// <summary>
/// What the rhythm analysis says of one second: how strongly the wrist's movement repeats around it, and at what step
/// period. <see cref="StepPeriodSeconds"/> is 0 when the window holds no step-like period.
/// </summary>
/// <param name="StartMicros">Start of the second judged.</param>
/// <param name="RmsG">RMS of the band-passed magnitude over the window, g.</param>
/// <param name="OwnEnergy">
/// The band-passed magnitude's energy over the judged second alone. The window speaks for its middle second with
/// seconds of context either side; this says whether the wrist moved in that second at all.
/// </param>
/// <param name="Strength">Autocorrelation at the repeating period (-1..1).</param>
/// <param name="StepPeriodSeconds">The step period read from it (half the period when that is a stride).</param>
/// <param name="Steadiness">
/// How evenly the movement's energy is spread over the window's seconds: 1 when every second holds the same, 1/W when
/// one second holds it all. Walking is sustained; a single reach or wrist turn makes a few strong cycles and is over.
/// </param>
internal readonly record struct RhythmVerdict(long StartMicros, float RmsG, Energy OwnEnergy, float Strength, double StepPeriodSeconds, float Steadiness = 1)
{
    public bool HasPeriod => StepPeriodSeconds > 0;
}

/// <summary>The band-passed magnitude's energy over a run of samples (Σ m², g²): a judged second's own.</summary>
/// <remarks>Kept as the sum and the count: the verdict is made every second and the RMS is seldom asked for.</remarks>
internal readonly record struct Energy(float SumOfSquares, int Samples)
{
    public float RmsG => Samples > 0 ? MathF.Sqrt(SumOfSquares / Samples) : 0;

    /// <summary>True when the RMS is under <paramref name="rmsG"/> (a run without samples did not move).</summary>
    public bool IsBelow(double rmsG) => Samples == 0 || IsBelow(SumOfSquares, Samples, rmsG);

    /// <summary>
    /// True when <paramref name="sumOfSquares"/> over <paramref name="samples"/> has an RMS under <paramref name="rmsG"/>:
    /// compared as energies, so that a branch on it does not wait for a division and a square root.
    /// </summary>
    public static bool IsBelow(double sumOfSquares, int samples, double rmsG) => sumOfSquares < rmsG * rmsG * samples;
}

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
internal readonly record struct RhythmVerdict(long StartMicros, float RmsG, SecondEnergy OwnEnergy, float Strength, double StepPeriodSeconds, float Steadiness = 1)
{
    public bool HasPeriod => StepPeriodSeconds > 0;
}

/// <summary>The band-passed magnitude's energy over one second (Σ m², g², of its samples).</summary>
/// <remarks>Kept as the sum and the count: the verdict is made every second and the RMS is seldom asked for.</remarks>
internal readonly record struct SecondEnergy(float SumOfSquares, int Samples)
{
    public float RmsG => Samples > 0 ? MathF.Sqrt(SumOfSquares / Samples) : 0;

    /// <summary>True when the second's RMS is under <paramref name="rmsG"/> (a second with no samples moved not at all).</summary>
    public bool IsBelow(double rmsG) => Samples == 0 || SumOfSquares < rmsG * rmsG * Samples;
}

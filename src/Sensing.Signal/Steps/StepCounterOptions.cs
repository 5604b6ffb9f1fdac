namespace Sensing.Signal.Steps;

/// <summary>
/// The step counter's design parameters. Each is a property of walking or of the wrist, stated in physical units,
/// not a constant fitted to one recording.
/// </summary>
public sealed record StepCounterOptions
{
    /// <summary>
    /// Rate of the uniform grid the detector runs on. 12.5 Hz keeps the step band (up to 4 Hz, a sprint) below
    /// Nyquist, is the native rate of many wristbands, and makes every input rate look the same to the detector.
    /// </summary>
    public double InternalRateHz { get; init; } = 12.5;

    /// <summary>Lower edge of the analysis band: 0.3 Hz keeps the stride rhythm of a very slow walk (stride 3 s).</summary>
    public double BandLowHz { get; init; } = 0.3;

    /// <summary>Upper edge of the analysis band: 4 Hz is 240 steps per minute, faster than a sprint cadence.</summary>
    public double BandHighHz { get; init; } = 4.0;

    /// <summary>Butterworth order of each band edge.</summary>
    public int FilterOrder { get; init; } = 2;

    /// <summary>Time constant of the running level of the band-passed magnitude that clipping is measured against, seconds.</summary>
    public double LevelSeconds { get; init; } = 4;

    /// <summary>The rhythm is judged on the band-passed magnitude clipped at this many times its running level.</summary>
    public double ClipLevels { get; init; } = 3;

    /// <summary>Seconds of signal whose periodicity decides each second: about three strides of a slow walk.</summary>
    public int WindowSeconds { get; init; } = 6;

    /// <summary>Slowest cadence counted, steps per second (48 steps per minute: a very slow, cautious walk).</summary>
    public double MinCadence { get; init; } = 0.8;

    /// <summary>Fastest cadence counted, steps per second (240 per minute).</summary>
    public double MaxCadence { get; init; } = 4.0;

    /// <summary>
    /// Cadence above which a step is a running step, steps per second (150 per minute): walking seldom goes beyond
    /// 130-140, and people break into a run before 150.
    /// </summary>
    public double RunningCadence { get; init; } = 2.5;

    /// <summary>
    /// A rhythm at a running cadence counts as running only with at least this RMS of the band-passed magnitude, g.
    /// Each landing of a run jolts the wrist far harder than a heel strike: selfBACK's jogging reads 0.45 g or more in
    /// 95 % of its seconds, its slow walks 0.06-0.2 g. Below it, the rhythm is a walk whose every step shows two
    /// peaks, and its step is twice the period read.
    /// </summary>
    public double RunningRmsG { get; init; } = 0.25;

    /// <summary>
    /// Below this RMS of the band-passed magnitude the wrist is too still for its rhythm to mean anything, g (about
    /// the noise of a 12-bit wrist sensor after the band-pass). Over a window: no rhythm is read. Over one second of a
    /// walk: a step there must be a real peak of the walk's height, as at a walk's edge.
    /// </summary>
    public double MinRmsG { get; init; } = 0.012;

    /// <summary>
    /// Autocorrelation the magnitude must reach at its period for a second to start or confirm a walk: heel strikes
    /// repeat, the jolts of a car, typing or housework do not keep one period for seconds on end.
    /// </summary>
    public float StartCorrelation { get; init; } = 0.5f;

    /// <summary>
    /// How evenly a window's movement must be spread over its seconds for a strong rhythm to start or confirm a walk
    /// (see <see cref="RhythmVerdict.Steadiness"/>); 0.8 is energy in about five of six seconds.
    /// </summary>
    public float MinSteadiness { get; init; } = 0.8f;

    /// <summary>Once walking, a second need only reach this at a period near the walk's cadence to go on.</summary>
    public float ContinueCorrelation { get; init; } = 0.25f;

    /// <summary>A peak of the autocorrelation counts as "the" period only if within this fraction of the best peak.</summary>
    public float NearBestPeak { get; init; } = 0.85f;

    /// <summary>
    /// How far the autocorrelation at half the period must rise above its neighbours a quarter period away for the
    /// period to be read as a stride of two steps (the second heel strike shows as a bump, even when weaker).
    /// </summary>
    public float HalfPeriodBump { get; init; } = 0.2f;

    /// <summary>How far a second's step period may stray from the walk's, as a fraction, and still continue it.</summary>
    public double CadenceTolerance { get; init; } = 0.25;

    /// <summary>A weak second continues a walk only this close to the walk's step period (or twice or half of it).</summary>
    public double WeakCadenceTolerance { get; init; } = 0.25;

    /// <summary>Rhythmic seconds with a consistent cadence that confirm a walk (with <see cref="StepsToConfirm"/>).</summary>
    public int SecondsToConfirm { get; init; } = 4;

    /// <summary>
    /// A walk whose rhythm stays weak (above <see cref="ContinueCorrelation"/> but seldom <see cref="StartCorrelation"/>:
    /// stairs, a slow or halting walk) is confirmed once this many of its seconds hold its cadence: ten seconds of one
    /// cadence, with <see cref="SustainedRmsG"/>, is more than a reach, a wave or a bumpy road keeps up.
    /// </summary>
    public int SustainedSeconds { get; init; } = 10;

    /// <summary>
    /// ... and only if those seconds' band-passed magnitude averages at least this, g: walking intensity on the wrist.
    /// Over a second a walk's median reads 0.08-0.22 g (the Bangle.js walks), the rhythmic seconds of a drive or of
    /// desk work 0.02-0.05 g; single seconds overlap, but no ten-second run of a drive or desk hour here averages this.
    /// It is also the floor for the weak seconds just before a strong start that the gate takes as the walk's first.
    /// </summary>
    public double SustainedRmsG { get; init; } = 0.08;

    /// <summary>
    /// The strong seconds that confirm a walk (<see cref="SecondsToConfirm"/>) must average at least this band-passed
    /// RMS, g. The slowest walks here confirm at 0.054-0.068 g (selfBACK, SensorWatch, Oxford). A standing person's
    /// sway kept a strong, steady rhythm at 0.02 g for seconds, and a car's at 0.044 g for six (a Bangle.js drive, with
    /// its clock moved on a fraction of a second: <c>eval steps --phases</c>).
    /// </summary>
    public double MinWalkRmsG { get; init; } = 0.05;

    /// <summary>
    /// A confirmed walk's first seconds are counted only once the walk is this old, seconds. The rhythm of a walk's first
    /// seconds often reads a stride, the heel strikes of one foot too soft to show until a few seconds on; a walk that
    /// turns out to be at half the period it started at is then counted at its steps from its start, not from the second
    /// the steps showed. Twelve seconds is as far as a walk's steps are followed back (<see cref="EdgeReachSeconds"/>).
    /// </summary>
    public double SettleSeconds { get; init; } = 12;

    /// <summary>Steps a walk must hold before it is one (as Espruino's steps-in-a-row): a shuffle is not a walk.</summary>
    public int StepsToConfirm { get; init; } = 8;

    /// <summary>Seconds a walk may lose its rhythm (a turn, a door, a kerb) and, if the rhythm returns, go on through.</summary>
    public int MaxLapseSeconds { get; init; } = 4;

    /// <summary>
    /// Shortest step, seconds: a step peak is a local maximum of the band-passed magnitude within this half-width.
    /// </summary>
    public double PeakHalfWidthSeconds { get; init; } = 0.16;

    /// <summary>
    /// A step is looked for between these fractions of the step period after the previous one; with no peak there,
    /// inside a walk the step is placed on the cadence (a soft heel strike is still a step).
    /// </summary>
    public double StepSearchEarly { get; init; } = 0.6;

    /// <summary>See <see cref="StepSearchEarly"/>.</summary>
    public double StepSearchLate { get; init; } = 1.4;

    /// <summary>
    /// At the edges of a walk, where no verdict speaks for the seconds, a step must be a real peak within this fraction
    /// of the period from where the cadence expects it...
    /// </summary>
    public double EdgeTolerance { get; init; } = 0.25;

    /// <summary>
    /// How far before its first judged second (and after its last) a walk's steps are followed through real peaks,
    /// seconds: the rhythm often reads weak or uneven for a while after a walk starts.
    /// </summary>
    public double EdgeReachSeconds { get; init; } = 12;

    /// <summary>... and at least this fraction of the walk's typical step-peak height (an arm lowered to walk is not a step).</summary>
    public double EdgeHeight { get; init; } = 0.5;

    /// <summary>A forward jump in time longer than this is a gap: no step is counted across it.</summary>
    public TimeSpan GapThreshold { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Width of the box filter applied at the input rate before resampling (anti-aliasing at high input rates).</summary>
    internal int BoxWidthFor(double inputRateHz) => Math.Max(1, (int)Math.Round(inputRateHz / InternalRateHz));
}

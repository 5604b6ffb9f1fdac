namespace Sensing.Core;

/// <summary>
/// A run of raw int16 x/y/z sensor counts at a fixed sample period, as a wristband frame carries them: the first
/// sample's time and the period rather than a time per sample, and counts rather than g.
/// </summary>
/// <remarks>
/// The signal pipeline decimates such a run straight from its counts (exact integer group sums, one conversion to g
/// per group), which gives the same grid points as the <see cref="SampleBlock"/> of the same samples whenever
/// counts-per-g is a power of two, as every wristband range is; other scales are converted per sample.
/// The spans are borrowed: the pipeline reads them during the call and keeps nothing.
/// </remarks>
public readonly ref struct RawSamples
{
    /// <exception cref="ArgumentException">The axes differ in length, or the period or scale is not positive.</exception>
    public RawSamples(long firstMicros, long periodMicros, float countsPerG, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
    {
        if (x.Length != y.Length || x.Length != z.Length)
        {
            throw new ArgumentException($"Axis lengths differ: x {x.Length}, y {y.Length}, z {z.Length}.");
        }

        if (periodMicros <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodMicros), periodMicros, "The sample period must be positive.");
        }

        if (!(countsPerG > 0) || float.IsInfinity(countsPerG))
        {
            throw new ArgumentOutOfRangeException(nameof(countsPerG), countsPerG, "Counts per g must be a positive number.");
        }

        FirstMicros = firstMicros;
        PeriodMicros = periodMicros;
        CountsPerG = countsPerG;
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>Time of the first sample, microseconds on the source clock.</summary>
    public long FirstMicros { get; }

    /// <summary>Time between samples, microseconds.</summary>
    public long PeriodMicros { get; }

    /// <summary>Sensor counts that make 1 g.</summary>
    public float CountsPerG { get; }

    public ReadOnlySpan<short> X { get; }

    public ReadOnlySpan<short> Y { get; }

    public ReadOnlySpan<short> Z { get; }

    /// <summary>Number of samples.</summary>
    public int Count => X.Length;

    /// <summary>Time of sample <paramref name="index"/>, microseconds.</summary>
    public long TimeOf(int index) => FirstMicros + (index * PeriodMicros);

    /// <summary>Samples [start, start+count) as a run of their own.</summary>
    public RawSamples Slice(int start, int count)
        => new(TimeOf(start), PeriodMicros, CountsPerG, X.Slice(start, count), Y.Slice(start, count), Z.Slice(start, count));
}

using System.Globalization;
using System.Text;
using Sensing.Core;
using Sensing.Pipeline;
using Sensing.Simulator;
using Sensing.Simulator.Motion;

namespace Sensing.Ingestion.Tests;

/// <summary>
/// A recording the tests play on every simulated band: the motion model's samples at 25 Hz, quantised to the band's
/// ±8 g counts (4096 per g) exactly as the band measures them, so what the worker receives is known sample for sample.
/// </summary>
internal sealed class TestRecording
{
    public const int CountsPerG = 4096;
    public const double RateHz = 25;
    public const long PeriodMicros = 40_000;

    private TestRecording(short[] x, short[] y, short[] z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public short[] X { get; }

    public short[] Y { get; }

    public short[] Z { get; }

    public int Count => X.Length;

    public TimeSpan Duration => TimeSpan.FromTicks(Count * PeriodMicros * 10);

    /// <summary>Walks, sitting, standing, lying and a drive, about <paramref name="minutes"/> long.</summary>
    public static TestRecording Generate(double minutes, int seed = 7)
    {
        MotionSegment[] plan =
        [
            new(MotionKind.Sitting, TimeSpan.FromMinutes(minutes * 0.10)),
            new(MotionKind.Walking, TimeSpan.FromMinutes(minutes * 0.20), 108),
            new(MotionKind.Standing, TimeSpan.FromMinutes(minutes * 0.08)),
            new(MotionKind.Driving, TimeSpan.FromMinutes(minutes * 0.12)),
            new(MotionKind.Walking, TimeSpan.FromMinutes(minutes * 0.15), 96),
            new(MotionKind.Lying, TimeSpan.FromMinutes(minutes * 0.10)),
            new(MotionKind.Stairs, TimeSpan.FromMinutes(minutes * 0.05), 90),
            new(MotionKind.Walking, TimeSpan.FromMinutes(minutes * 0.20), 112),
        ];
        var generator = new MotionGenerator(plan, RateHz, seed);
        var block = new SampleBlock(4096);
        List<short> x = [], y = [], z = [];
        while (generator.Read(block) > 0)
        {
            for (var i = 0; i < block.Count; i++)
            {
                x.Add(Counts(block.X[i]));
                y.Add(Counts(block.Y[i]));
                z.Add(Counts(block.Z[i]));
            }
        }

        return new TestRecording([.. x], [.. y], [.. z]);
    }

    /// <summary>A sensor source playing the recording (each band gets its own).</summary>
    public ISampleSource Source() => new Playback(this);

    /// <summary>The recording as CSV: milliseconds and raw counts (read it with <c>--counts-per-g 4096</c>).</summary>
    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("time_ms,x,y,z");
        for (var i = 0; i < Count; i++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i * 40},{X[i]},{Y[i]},{Z[i]}"));
        }
    }

    /// <summary>
    /// What the pipeline makes of the whole recording fed in one go, on a clock starting at <paramref name="startMicros"/>
    /// (a whole minute of UTC: the worker places a band's first sample there).
    /// </summary>
    public (long Steps, IReadOnlyList<(long StartMicros, int Steps, int Classified)> Minutes) Reference(long startMicros)
    {
        var block = new SampleBlock(Count);
        const float scale = 1f / CountsPerG;
        for (var i = 0; i < Count; i++)
        {
            block.Add(startMicros + (i * PeriodMicros), X[i] * scale, Y[i] * scale, Z[i] * scale);
        }

        var pipeline = new WristbandPipeline(RateHz);
        pipeline.Push(block);
        pipeline.Complete();
        var minutes = new List<(long, int, int)>();
        while (pipeline.TryDequeue(out var m))
        {
            minutes.Add((m.StartMicros, m.Steps, m.ClassifiedSeconds));
        }

        return (pipeline.Steps, minutes);
    }

    /// <summary>
    /// Mean ENMO (the Euclidean norm minus one g, negatives as zero) of each minute's samples in mg, by minute start on
    /// the band's clock: what the worker stores beside each minute, from the samples directly.
    /// </summary>
    public IReadOnlyDictionary<long, double> ReferenceEnmo(long startMicros)
    {
        const long Minute = 60_000_000;
        const float scale = 1f / CountsPerG;
        var sums = new Dictionary<long, (double Sum, int Count)>();
        for (var i = 0; i < Count; i++)
        {
            var t = startMicros + (i * PeriodMicros);
            var minute = t - (((t % Minute) + Minute) % Minute);
            float gx = X[i] * scale, gy = Y[i] * scale, gz = Z[i] * scale;
            var enmo = Math.Max(0, MathF.Sqrt((gx * gx) + (gy * gy) + (gz * gz)) - 1);
            var (sum, count) = sums.GetValueOrDefault(minute);
            sums[minute] = (sum + enmo, count + 1);
        }

        return sums.ToDictionary(p => p.Key, p => 1000 * p.Value.Sum / p.Value.Count);
    }

    private static short Counts(float g) => (short)Math.Clamp(Math.Round(g * CountsPerG), short.MinValue, short.MaxValue);

    private sealed class Playback(TestRecording recording) : ISampleSource
    {
        private int _next;

        public int Read(SampleBlock block)
        {
            block.Clear();
            const float scale = 1f / CountsPerG;
            while (_next < recording.Count && !block.IsFull)
            {
                block.Add(_next * PeriodMicros, recording.X[_next] * scale, recording.Y[_next] * scale, recording.Z[_next] * scale);
                _next++;
            }

            return block.Count;
        }
    }
}

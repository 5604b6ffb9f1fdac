using Sensing.Core;

namespace Sensing.Simulator.Motion;

/// <summary>
/// Generates wrist accelerometer samples (in g, at a fixed rate) for a script of activities, with a simple but
/// physical model of a watch on the left wrist: the gravity ("up") vector per posture in the device frame, arm swing
/// as a rotation of the forearm with its tangential and centripetal accelerations, heel-strike impacts and body
/// bounce at the step cadence (with step-to-step variability), tremor, fidgets and turns when sedentary, road
/// vibration and steering when driving, and a still-but-noisy band off the wrist.
/// </summary>
/// <remarks>
/// Device axes: x along the forearm towards the hand, y across the wrist, z out of the watch face. At rest the sensor
/// reads +1 g along "up". Deterministic for a given seed. Not thread-safe. It is plausible, not a validated model:
/// the step counter is tuned on real recordings, not on this.
/// </remarks>
public sealed class MotionGenerator
{
    private const double G = 9.81;
    private readonly IReadOnlyList<MotionSegment> _script;
    private readonly double _rate;
    private readonly long _startMicros;
    private readonly Random _rng;
    private readonly double _dt;

    private int _segment = -1;
    private long _sampleInSegment;
    private long _segmentSamples;
    private long _sample;

    // Orientation: the up vector of the current posture, blended from the previous one at a segment start.
    private Vec _up;
    private Vec _fromUp;
    private Vec _targetUp;
    private double _blend = 1;

    // Gait.
    private double _stepInterval;
    private double _sinceStep;
    private double _swingAmplitude;
    private double _impact;
    private double _impactAge = 10;
    private double _impactScale;
    private int _stepParity;

    // Sedentary events (fidget, turn, steering) and vibration.
    private double _eventLeft;
    private double _eventLength;
    private double _eventAngle;
    private Vec _eventAxis;
    private double _untilEvent;
    private double _vibrationPhase;
    private Vec _tremor;

    /// <summary>Creates a generator for <paramref name="script"/> at <paramref name="sampleRateHz"/>.</summary>
    /// <param name="script">Segments played in order.</param>
    /// <param name="sampleRateHz">Samples per second (e.g. 12.5 .. 400).</param>
    /// <param name="seed">Seed of all randomness.</param>
    /// <param name="startMicros">Timestamp of the first sample.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive.</exception>
    public MotionGenerator(IReadOnlyList<MotionSegment> script, double sampleRateHz, int seed, long startMicros = 0)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        _script = script;
        _rate = sampleRateHz;
        _dt = 1 / sampleRateHz;
        _rng = new Random(seed);
        _startMicros = startMicros;
        _up = _fromUp = _targetUp = new Vec(0, 0, 1);
    }

    /// <summary>Steps actually generated so far (one per heel strike).</summary>
    public int TrueSteps { get; private set; }

    /// <summary>The kind of the segment being generated (the last one once finished).</summary>
    public MotionKind CurrentKind => _script.Count == 0 ? MotionKind.NonWear : _script[Math.Clamp(_segment, 0, _script.Count - 1)].Kind;

    /// <summary>Fills <paramref name="block"/> (cleared first) with up to its capacity of samples.</summary>
    /// <returns>Samples written; 0 at the end of the script.</returns>
    public int Read(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        block.Clear();
        var t = block.WritableTime;
        var x = block.WritableX;
        var y = block.WritableY;
        var z = block.WritableZ;
        int n = 0;
        while (n < block.Capacity)
        {
            if (_sampleInSegment >= _segmentSamples && !NextSegment())
            {
                break;
            }

            var a = Step(_script[_segment]);
            t[n] = _startMicros + (long)Math.Round(_sample * 1e6 / _rate);
            x[n] = (float)a.X;
            y[n] = (float)a.Y;
            z[n] = (float)a.Z;
            n++;
            _sample++;
            _sampleInSegment++;
        }

        block.SetCount(n);
        return n;
    }

    private bool NextSegment()
    {
        do
        {
            _segment++;
            if (_segment >= _script.Count)
            {
                return false;
            }

            _segmentSamples = (long)Math.Round(_script[_segment].Duration.TotalSeconds * _rate);
        }
        while (_segmentSamples <= 0);

        var seg = _script[_segment];
        _sampleInSegment = 0;
        _fromUp = _up;
        _targetUp = PostureUp(seg.Kind);
        _blend = _segment == 0 ? 1 : 0;
        double cadence = seg.CadenceStepsPerMinute > 0 ? seg.CadenceStepsPerMinute : DefaultCadence(seg.Kind);
        _stepInterval = cadence > 0 ? 60 / cadence : 0;
        _sinceStep = _stepInterval * _rng.NextDouble();
        _swingAmplitude = seg.Kind switch { MotionKind.Running => 0.6, MotionKind.Stairs => 0.25, _ => 0.35 } * (0.8 + (0.4 * _rng.NextDouble()));
        _impactScale = seg.Kind switch { MotionKind.Running => 1.6, MotionKind.Stairs => 0.7, _ => 0.45 };
        _untilEvent = NextEventDelay(seg.Kind);
        _eventLeft = 0;
        return true;
    }

    private Vec Step(MotionSegment seg)
    {
        // Posture change over 1.5 s when a segment starts.
        if (_blend < 1)
        {
            _blend = Math.Min(1, _blend + (_dt / 1.5));
            _up = Vec.Lerp(_fromUp, _targetUp, Smooth(_blend)).Normalized();
        }
        else
        {
            _up = _targetUp;
        }

        var up = _up;
        Vec dynamic = default;
        switch (seg.Kind)
        {
            case MotionKind.Walking or MotionKind.Running or MotionKind.Stairs:
                dynamic = Gait(ref up);
                break;
            case MotionKind.Driving:
                dynamic = Driving(ref up);
                break;
            case MotionKind.Sitting or MotionKind.Standing or MotionKind.Lying:
                dynamic = Sedentary(seg.Kind, ref up);
                break;
            case MotionKind.NonWear:
                break;
        }

        // Sensor noise: about 4 mg rms, a little less on the table where nothing else moves.
        double noise = seg.Kind == MotionKind.NonWear ? 0.003 : 0.004;
        return up + dynamic + new Vec(Gauss() * noise, Gauss() * noise, Gauss() * noise);
    }

    private Vec Gait(ref Vec up)
    {
        _sinceStep += _dt;
        if (_sinceStep >= _stepInterval)
        {
            _sinceStep -= _stepInterval;
            TrueSteps++;
            _stepParity ^= 1;
            _impactAge = 0;
            _impact = _impactScale * (0.75 + (0.5 * _rng.NextDouble()));

            // Step-to-step variability of the interval: about 3 %.
            double cadenceInterval = 60 / Math.Max(1, _script[_segment].CadenceStepsPerMinute > 0 ? _script[_segment].CadenceStepsPerMinute : DefaultCadence(_script[_segment].Kind));
            _stepInterval = cadenceInterval * (1 + (0.03 * Gauss()));
        }

        // One swing cycle per two steps: the phase runs 0..2π over a stride.
        double stride = 2 * _stepInterval;
        double phase = (2 * Math.PI * (_sinceStep + (_stepParity * _stepInterval))) / stride;
        double w = 2 * Math.PI / stride;
        double theta = _swingAmplitude * Math.Sin(phase);
        double thetaDot = _swingAmplitude * w * Math.Cos(phase);
        double thetaDdot = -_swingAmplitude * w * w * Math.Sin(phase);
        up = up.RotateAboutY(theta);

        // Forearm pendulum about the shoulder (~0.6 m): tangential along z, centripetal towards the shoulder (-x).
        const double Radius = 0.6;
        var swing = new Vec(-Radius * thetaDot * thetaDot / G, 0, Radius * thetaDdot / G);

        // Heel strike: a damped 12 Hz ring-down along the vertical, plus body bounce at the step frequency.
        _impactAge += _dt;
        double strike = _impact * Math.Exp(-_impactAge / 0.035) * Math.Sin(2 * Math.PI * 12 * _impactAge);
        double bounce = 0.12 * (_impactScale / 0.45) * Math.Cos(2 * Math.PI * _sinceStep / _stepInterval);
        return swing + (up * (strike + bounce));
    }

    private Vec Sedentary(MotionKind kind, ref Vec up)
    {
        // Physiological tremor and postural sway: slow random walk of a few mg.
        _tremor = (_tremor * 0.995) + new Vec(Gauss(), Gauss(), Gauss()) * (kind == MotionKind.Standing ? 0.0015 : 0.0008);
        var dynamic = _tremor;
        if (Event(kind, ref up, out var eventAccel))
        {
            dynamic += eventAccel;
        }

        return dynamic;
    }

    private Vec Driving(ref Vec up)
    {
        // Engine and road: a few narrow bands between 10 and 30 Hz plus broadband roughness.
        _vibrationPhase += _dt;
        double v = (0.012 * Math.Sin(2 * Math.PI * 13 * _vibrationPhase)) + (0.008 * Math.Sin((2 * Math.PI * 21 * _vibrationPhase) + 1)) + (0.006 * Gauss());
        var dynamic = new Vec(v * 0.4, v * 0.3, v);

        // Speeding up and braking: slow longitudinal accelerations of about 0.1 g.
        dynamic += new Vec(0.08 * Math.Sin(2 * Math.PI * 0.03 * _sampleInSegment * _dt), 0, 0);
        if (Event(MotionKind.Driving, ref up, out var eventAccel))
        {
            dynamic += eventAccel;
        }

        return dynamic;
    }

    /// <summary>Fidgets (sitting/standing), turns (lying) and steering (driving): a smooth rotation with a little acceleration.</summary>
    private bool Event(MotionKind kind, ref Vec up, out Vec accel)
    {
        accel = default;
        if (_eventLeft <= 0)
        {
            _untilEvent -= _dt;
            if (_untilEvent > 0)
            {
                return false;
            }

            _eventLength = kind switch { MotionKind.Lying => 3, MotionKind.Driving => 2 + (2 * _rng.NextDouble()), _ => 0.6 + (1.6 * _rng.NextDouble()) };
            _eventLeft = _eventLength;
            _eventAngle = kind switch { MotionKind.Lying => 1.2, MotionKind.Driving => 0.45, _ => 0.5 } * (0.5 + _rng.NextDouble()) * (_rng.Next(2) == 0 ? -1 : 1);
            _eventAxis = kind == MotionKind.Driving ? new Vec(1, 0, 0) : new Vec(Gauss(), Gauss(), Gauss()).Normalized();
            _untilEvent = NextEventDelay(kind);
        }

        _eventLeft -= _dt;
        double s = 1 - (_eventLeft / _eventLength);
        double angle = _eventAngle * Math.Sin(Math.PI * s) * Math.Sin(Math.PI * s);
        up = up.Rotate(_eventAxis, angle);

        // The hand moves too: a couple of oscillations of 0.1-0.3 g during a fidget.
        if (kind is MotionKind.Sitting or MotionKind.Standing)
        {
            accel = _eventAxis.Cross(up) * (0.2 * Math.Sin(2 * Math.PI * 2.5 * s * _eventLength) * Math.Sin(Math.PI * s));
        }

        if (_eventLeft <= 0 && kind == MotionKind.Lying)
        {
            // A turn in bed leaves the wrist in a new orientation.
            _targetUp = _targetUp.Rotate(_eventAxis, _eventAngle * 0.8).Normalized();
        }

        return true;
    }

    private double NextEventDelay(MotionKind kind) => kind switch
    {
        MotionKind.Sitting => 15 + (45 * _rng.NextDouble()),
        MotionKind.Standing => 8 + (25 * _rng.NextDouble()),
        MotionKind.Lying => 600 + (1800 * _rng.NextDouble()),
        MotionKind.Driving => 8 + (30 * _rng.NextDouble()),
        _ => double.PositiveInfinity,
    };

    private Vec PostureUp(MotionKind kind)
    {
        // Up vectors in the device frame, tilted by up to ~15° at random per bout (wrists are never placed twice alike).
        var up = kind switch
        {
            MotionKind.Walking or MotionKind.Running or MotionKind.Stairs or MotionKind.Standing => new Vec(-0.93, 0.12, 0.34),
            MotionKind.Sitting => new Vec(-0.25, 0.15, 0.95),
            MotionKind.Lying => new Vec(Gauss(), Gauss(), Gauss()),
            MotionKind.Driving => new Vec(-0.35, 0.55, 0.75),
            _ => new Vec(0.01, -0.02, 1),
        };
        if (kind == MotionKind.NonWear)
        {
            return up.Normalized();
        }

        return up.Normalized().Rotate(new Vec(Gauss(), Gauss(), Gauss()).Normalized(), 0.25 * _rng.NextDouble());
    }

    private static double DefaultCadence(MotionKind kind) => kind switch
    {
        MotionKind.Walking => 105,
        MotionKind.Running => 165,
        MotionKind.Stairs => 90,
        _ => 0,
    };

    private static double Smooth(double s) => s * s * (3 - (2 * s));

    private double Gauss()
    {
        double u1 = 1 - _rng.NextDouble();
        double u2 = _rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private readonly record struct Vec(double X, double Y, double Z)
    {
        public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

        public static Vec operator *(Vec a, double s) => new(a.X * s, a.Y * s, a.Z * s);

        public static Vec Lerp(Vec a, Vec b, double s) => (a * (1 - s)) + (b * s);

        public double Length => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));

        public Vec Normalized()
        {
            double l = Length;
            return l > 1e-12 ? this * (1 / l) : new Vec(0, 0, 1);
        }

        public Vec Cross(Vec b) => new((Y * b.Z) - (Z * b.Y), (Z * b.X) - (X * b.Z), (X * b.Y) - (Y * b.X));

        public double Dot(Vec b) => (X * b.X) + (Y * b.Y) + (Z * b.Z);

        public Vec RotateAboutY(double a)
        {
            double c = Math.Cos(a), s = Math.Sin(a);
            return new Vec((X * c) + (Z * s), Y, (-X * s) + (Z * c));
        }

        /// <summary>Rodrigues' rotation about a unit axis.</summary>
        public Vec Rotate(Vec axis, double angle)
        {
            double c = Math.Cos(angle), s = Math.Sin(angle);
            return (this * c) + (axis.Cross(this) * s) + (axis * (axis.Dot(this) * (1 - c)));
        }
    }
}

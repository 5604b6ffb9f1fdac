namespace Sensing.Protocol.Time;

/// <summary>
/// Estimates, per boot, how device ticks map to UTC: <c>utc = offset + tick · (1 + drift)</c> (README §6.2), by
/// least squares over the latest observations. With one observation the drift is taken as 0.
/// </summary>
/// <remarks>
/// Observations are (device tick, UTC microseconds) pairs; the gateway takes the midpoint of a SET_TIME or
/// READ_CLOCK round trip as the UTC instant of the reported tick. Ticks are u32 milliseconds that wrap; each
/// is unwrapped to the value nearest the boot's latest observation. Not thread-safe: one per device session.
/// </remarks>
public sealed class ClockSync
{
    private readonly int _window;
    private readonly Dictionary<byte, BootFit> _boots = [];

    /// <summary>Creates an estimator keeping the latest <paramref name="window"/> observations per boot.</summary>
    /// <exception cref="ArgumentOutOfRangeException">window is less than 2.</exception>
    public ClockSync(int window = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        _window = window;
    }

    /// <summary>Adds one observation: device tick <paramref name="tick"/> of boot <paramref name="bootId"/> happened at <paramref name="unixMicros"/>.</summary>
    public void Observe(byte bootId, uint tick, long unixMicros)
    {
        if (!_boots.TryGetValue(bootId, out var fit))
        {
            fit = new BootFit(_window);
            _boots[bootId] = fit;
        }

        fit.Add(tick, unixMicros);
    }

    /// <summary>Forgets a boot (its id came around again after 256 resets).</summary>
    public void Forget(byte bootId) => _boots.Remove(bootId);

    /// <summary>True when the boot has at least one observation.</summary>
    public bool IsAnchored(byte bootId) => _boots.ContainsKey(bootId);

    /// <summary>Estimated drift of the boot's clock in parts per million (positive: the device tick runs fast).</summary>
    public double DriftPpm(byte bootId) => _boots.TryGetValue(bootId, out var fit) ? -fit.SlopeError * 1e6 / (1 + fit.SlopeError) : 0;

    /// <summary>Maps a (possibly fractional) device tick in ms to UTC microseconds.</summary>
    /// <returns>False when the boot has no observation: its samples cannot be placed in UTC.</returns>
    public bool TryToUnixMicros(byte bootId, uint tick, double offsetMillis, out long unixMicros)
    {
        if (!_boots.TryGetValue(bootId, out var fit))
        {
            unixMicros = 0;
            return false;
        }

        unixMicros = fit.Map(fit.Unwrap(tick) + offsetMillis);
        return true;
    }

    private sealed class BootFit(int window)
    {
        private readonly double[] _ticks = new double[window];
        private readonly double[] _micros = new double[window];
        private int _count;
        private int _next;
        private long _latestTick = long.MinValue;
        private double _meanTick;
        private double _meanMicros;
        private double _slope = 1000; // microseconds per device millisecond

        /// <summary>Slope relative to nominal, minus one: positive means UTC passes faster than ticks.</summary>
        public double SlopeError => (_slope / 1000) - 1;

        public long Unwrap(uint tick)
        {
            if (_latestTick == long.MinValue)
            {
                return tick;
            }

            // Nearest to the latest observation: the signed 32-bit difference.
            return _latestTick + (int)(tick - (uint)_latestTick);
        }

        public void Add(uint tick, long unixMicros)
        {
            long t = Unwrap(tick);
            _latestTick = Math.Max(_latestTick, t);
            _ticks[_next] = t;
            _micros[_next] = unixMicros;
            _next = (_next + 1) % _ticks.Length;
            _count = Math.Min(_count + 1, _ticks.Length);
            Refit();
        }

        public long Map(double tick) => (long)Math.Round(_meanMicros + ((tick - _meanTick) * _slope));

        private void Refit()
        {
            double mt = 0, mm = 0;
            for (int i = 0; i < _count; i++)
            {
                mt += _ticks[i];
                mm += _micros[i];
            }

            mt /= _count;
            mm /= _count;
            double sxx = 0, sxy = 0;
            for (int i = 0; i < _count; i++)
            {
                double dt = _ticks[i] - mt;
                sxx += dt * dt;
                sxy += dt * (_micros[i] - mm);
            }

            _meanTick = mt;
            _meanMicros = mm;

            // Too short a baseline (under 10 s) says nothing about ppm-level drift: keep the nominal slope.
            _slope = sxx > 0 && sxx / _count > 25_000_000 ? sxy / sxx : 1000;
        }
    }
}

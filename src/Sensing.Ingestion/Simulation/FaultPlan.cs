namespace Sensing.Ingestion.Simulation;

/// <summary>What a simulated band suffers, when (simulated time since the fleet started).</summary>
public enum FaultKind
{
    /// <summary>The next few Motion Data notifications are lost.</summary>
    DropNotifications,

    /// <summary>The link drops mid-stream.</summary>
    Disconnect,

    /// <summary>The link drops a few frames into the next backfill (after a disconnect, the reconnect's backfill).</summary>
    DisconnectMidBackfill,

    /// <summary>The ATT MTU changes mid-connection.</summary>
    ChangeMtu,

    /// <summary>An orderly reset (battery change): storage closed, new boot id, ticks and indices from 0.</summary>
    Reset,

    /// <summary>A stretch of random notification loss begins (5 %).</summary>
    LossyStart,

    /// <summary>The stretch of random loss ends.</summary>
    LossyEnd,

    /// <summary>The wearer walks out of range.</summary>
    OutOfRange,

    /// <summary>The wearer comes back.</summary>
    BackInRange,
}

/// <summary>One scheduled fault.</summary>
public readonly record struct Fault(TimeSpan At, FaultKind Kind, int Value = 0);

/// <summary>
/// Fault schedules. <see cref="Standard"/> is the end-to-end test's: dropped notifications, disconnects mid-stream and
/// mid-backfill, MTU changes, a reset, a stretch of random loss and a walk out of range, spread over the first
/// <c>length</c> of simulated time and shifted per band so the bands do not all fail at once.
/// </summary>
public static class FaultPlan
{
    /// <summary>The standard schedule for a stream of <paramref name="length"/>.</summary>
    public static IReadOnlyList<Fault> Standard(TimeSpan length, int band)
    {
        var rng = new Random(1000 + band);
        var faults = new List<Fault>();
        TimeSpan At(double share) => TimeSpan.FromSeconds(length.TotalSeconds * Math.Clamp(share + ((rng.NextDouble() - 0.5) * 0.04), 0.01, 0.95));
        int[] mtus = [23, 64, 185, 100, 247];
        for (var i = 0; i < 5; i++)
        {
            faults.Add(new Fault(At(0.05 + (0.18 * i)), FaultKind.DropNotifications, 2 + rng.Next(8)));
            faults.Add(new Fault(At(0.09 + (0.18 * i)), FaultKind.ChangeMtu, mtus[i]));
        }

        faults.Add(new Fault(At(0.15), FaultKind.Disconnect));
        faults.Add(new Fault(At(0.30), FaultKind.DisconnectMidBackfill, 2 + rng.Next(4)));
        faults.Add(new Fault(At(0.30) + TimeSpan.FromMilliseconds(1), FaultKind.Disconnect));
        faults.Add(new Fault(At(0.42), FaultKind.Reset));
        faults.Add(new Fault(At(0.50), FaultKind.LossyStart));
        faults.Add(new Fault(At(0.56), FaultKind.LossyEnd));
        var away = At(0.65);
        faults.Add(new Fault(away, FaultKind.OutOfRange));
        faults.Add(new Fault(away + TimeSpan.FromSeconds(length.TotalSeconds * 0.06), FaultKind.BackInRange));
        faults.Add(new Fault(At(0.80), FaultKind.Disconnect));
        faults.Sort((a, b) => a.At.CompareTo(b.At));
        return faults;
    }

    /// <summary>The demo's day: one walk out of range in the afternoon (simulated time since the start).</summary>
    public static IReadOnlyList<Fault> OutOfRangeOnce(TimeSpan at, TimeSpan away)
        => [new Fault(at, FaultKind.OutOfRange), new Fault(at + away, FaultKind.BackInRange)];
}

namespace Sensing.Storage.Influx;

/// <summary>
/// A continuous query the setup ensures exists. Names carry a version suffix (<c>_v1</c>): a changed definition
/// gets a new name, so "exists" means "is current", and managed CQs no longer in the plan are dropped.
/// </summary>
/// <param name="Name">CQ name, starting with the plan's managed prefix.</param>
/// <param name="Select">The <c>SELECT ... INTO ... FROM ... GROUP BY time(..), *</c> body.</param>
/// <param name="ResampleEvery">RESAMPLE EVERY (null: the GROUP BY interval).</param>
/// <param name="ResampleFor">RESAMPLE FOR: how far back each run recomputes, to pick up late (backfilled) points.</param>
public sealed record ContinuousQuerySpec(string Name, string Select, TimeSpan? ResampleEvery, TimeSpan? ResampleFor);

namespace Sensing.Storage.Influx;

/// <summary>A retention policy the setup ensures exists with exactly these settings.</summary>
/// <param name="Name">Policy name.</param>
/// <param name="Duration">How long data is kept; <see cref="TimeSpan.Zero"/> means forever (INF).</param>
/// <param name="ShardDuration">Shard-group duration (retention drops whole shard groups).</param>
/// <param name="IsDefault">Whether it is the database's default policy (queries without an RP read it).</param>
public sealed record RetentionPolicySpec(string Name, TimeSpan Duration, TimeSpan ShardDuration, bool IsDefault);

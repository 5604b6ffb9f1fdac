namespace Sensing.Storage.Influx;

/// <summary>What <see cref="InfluxSetup"/> makes true on a 1.x server: a database, its retention policies and CQs.</summary>
/// <param name="Database">Database name.</param>
/// <param name="RetentionPolicies">Policies to create or alter to these settings.</param>
/// <param name="ContinuousQueries">CQs to create when missing.</param>
/// <param name="ManagedPrefix">CQs on the database with this prefix that are not in the plan are dropped.</param>
public sealed record InfluxSetupPlan(
    string Database,
    IReadOnlyList<RetentionPolicySpec> RetentionPolicies,
    IReadOnlyList<ContinuousQuerySpec> ContinuousQueries,
    string ManagedPrefix);

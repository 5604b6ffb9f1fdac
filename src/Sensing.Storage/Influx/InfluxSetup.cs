using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensing.Storage.Diagnostics;

namespace Sensing.Storage.Influx;

/// <summary>
/// Brings a 1.x server to an <see cref="InfluxSetupPlan"/>, idempotently: <c>CREATE DATABASE</c> (a no-op when it
/// exists), retention policies created or altered to the planned settings, continuous queries created when
/// missing and stale managed ones dropped. Running it twice changes nothing the second time.
/// </summary>
public sealed class InfluxSetup
{
    private readonly InfluxQueryClient _query;
    private readonly ILogger _logger;

    public InfluxSetup(InfluxQueryClient query, ILogger? logger = null)
    {
        _query = query;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Applies the plan; returns the statements that changed something (empty when already in place).</summary>
    /// <exception cref="InfluxException">A statement failed (e.g. no admin rights).</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(InfluxSetupPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var changes = new List<string>();
        var db = InfluxQl.Identifier(plan.Database);
        var databases = await _query.QueryAsync("SHOW DATABASES", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!databases.SelectMany(s => s.Values).Any(row => plan.Database.Equals(row[0])))
        {
            await RunAsync($"CREATE DATABASE {db}", changes, cancellationToken).ConfigureAwait(false);
        }

        var existing = await ExistingPoliciesAsync(db, cancellationToken).ConfigureAwait(false);
        foreach (var policy in plan.RetentionPolicies)
        {
            var clauses = $"ON {db} DURATION {InfluxQl.Duration(policy.Duration)} REPLICATION 1 SHARD DURATION {InfluxQl.Duration(policy.ShardDuration)}{(policy.IsDefault ? " DEFAULT" : string.Empty)}";
            if (!existing.TryGetValue(policy.Name, out var current))
            {
                await RunAsync($"CREATE RETENTION POLICY {InfluxQl.Identifier(policy.Name)} {clauses}", changes, cancellationToken).ConfigureAwait(false);
            }
            else if (current.Duration != policy.Duration || current.ShardDuration != policy.ShardDuration || (policy.IsDefault && !current.IsDefault))
            {
                await RunAsync($"ALTER RETENTION POLICY {InfluxQl.Identifier(policy.Name)} {clauses}", changes, cancellationToken).ConfigureAwait(false);
            }
        }

        var queries = await ExistingContinuousQueriesAsync(plan.Database, cancellationToken).ConfigureAwait(false);
        foreach (var cq in plan.ContinuousQueries)
        {
            if (!queries.Contains(cq.Name))
            {
                await RunAsync(CreateStatement(db, cq), changes, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var stale in queries.Where(q => q.StartsWith(plan.ManagedPrefix, StringComparison.Ordinal) && plan.ContinuousQueries.All(c => c.Name != q)))
        {
            await RunAsync($"DROP CONTINUOUS QUERY {InfluxQl.Identifier(stale)} ON {db}", changes, cancellationToken).ConfigureAwait(false);
        }

        return changes;
    }

    private static string CreateStatement(string db, ContinuousQuerySpec cq)
    {
        var text = new StringBuilder($"CREATE CONTINUOUS QUERY {InfluxQl.Identifier(cq.Name)} ON {db}");
        if (cq.ResampleEvery is not null || cq.ResampleFor is not null)
        {
            text.Append(" RESAMPLE");
            if (cq.ResampleEvery is TimeSpan every)
            {
                text.Append(" EVERY ").Append(InfluxQl.Duration(every));
            }

            if (cq.ResampleFor is TimeSpan span)
            {
                text.Append(" FOR ").Append(InfluxQl.Duration(span));
            }
        }

        return text.Append(" BEGIN ").Append(cq.Select).Append(" END").ToString();
    }

    private async Task RunAsync(string statement, List<string> changes, CancellationToken cancellationToken)
    {
        Log.SetupStatement(_logger, statement);
        await _query.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        changes.Add(statement);
    }

    private async Task<Dictionary<string, RetentionPolicySpec>> ExistingPoliciesAsync(string db, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RetentionPolicySpec>();
        foreach (var series in await _query.QueryAsync($"SHOW RETENTION POLICIES ON {db}", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            int name = series.Column("name"), duration = series.Column("duration"), shard = series.Column("shardGroupDuration"), isDefault = series.Column("default");
            foreach (var row in series.Values)
            {
                var policy = (string)row[name]!;
                found[policy] = new RetentionPolicySpec(policy, InfluxQl.ParseGoDuration((string)row[duration]!), InfluxQl.ParseGoDuration((string)row[shard]!), row[isDefault] is true);
            }
        }

        return found;
    }

    private async Task<HashSet<string>> ExistingContinuousQueriesAsync(string database, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in await _query.QueryAsync("SHOW CONTINUOUS QUERIES", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (series.Name != database)
            {
                continue;
            }

            var name = series.Column("name");
            foreach (var row in series.Values)
            {
                names.Add((string)row[name]!);
            }
        }

        return names;
    }
}

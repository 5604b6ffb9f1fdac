namespace Sensing.Storage.Influx;

/// <summary>
/// One series of a query result (or one chunk of it when streamed): name, tags, columns and rows. Times are epoch
/// milliseconds (<c>epoch=ms</c>); integers come back as <see cref="long"/>, floats as <see cref="double"/>,
/// strings, booleans, and null for missing values.
/// </summary>
public sealed class InfluxSeries
{
    public InfluxSeries(int statementId, string name, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> columns, List<object?[]> values, bool partial)
    {
        StatementId = statementId;
        Name = name;
        Tags = tags;
        Columns = columns;
        Values = values;
        Partial = partial;
    }

    /// <summary>Index of the statement in the query text (0-based).</summary>
    public int StatementId { get; }

    /// <summary>Measurement (or result) name.</summary>
    public string Name { get; }

    /// <summary>Tag values of a GROUP BY, empty otherwise.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Column names; the first is <c>time</c> for SELECTs.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows, each with one value per column.</summary>
    public List<object?[]> Values { get; }

    /// <summary>True for a chunk that more chunks of the same series follow.</summary>
    public bool Partial { get; }

    /// <summary>Index of a column by name.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public int Column(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == name)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"Series '{Name}' has no column '{name}' (columns: {string.Join(", ", Columns)}).");
    }

    /// <summary>True when both series have the same statement, name and tags (chunks of one series).</summary>
    public bool SameSeries(InfluxSeries other)
        => StatementId == other.StatementId && Name == other.Name && Tags.Count == other.Tags.Count
           && Tags.All(t => other.Tags.TryGetValue(t.Key, out var v) && v == t.Value);
}

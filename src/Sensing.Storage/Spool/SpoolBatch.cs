using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Spool;

/// <summary>
/// A transaction over the head of a spool: the records handed out, and per record whether it was accepted,
/// rejected, or (by default) kept for the next attempt.
/// </summary>
public sealed class SpoolBatch
{
    private readonly SpoolRecord[] _records;
    private readonly Outcome[] _outcomes;

    internal SpoolBatch(SpoolRecord[] records, long[] nextIds, WritePrecision precision, string? retentionPolicy, object owner, IDisposable? lease)
    {
        _records = records;
        NextIds = nextIds;
        _outcomes = new Outcome[records.Length];
        Precision = precision;
        RetentionPolicy = retentionPolicy;
        Owner = owner;
        Lease = lease;
        foreach (var record in records)
        {
            LineCount += record.LineCount;
            ByteCount += record.Lines.Length;
        }
    }

    private enum Outcome : byte
    {
        Keep,
        Accept,
        Reject,
    }

    /// <summary>The records, oldest first.</summary>
    public IReadOnlyList<SpoolRecord> Records => _records;

    /// <summary>Precision of every record in the batch.</summary>
    public WritePrecision Precision { get; }

    /// <summary>Retention policy of every record in the batch (null: the configured default).</summary>
    public string? RetentionPolicy { get; }

    /// <summary>Points in the batch.</summary>
    public int LineCount { get; }

    /// <summary>Line-protocol bytes in the batch.</summary>
    public long ByteCount { get; }

    internal long[] NextIds { get; }

    internal object Owner { get; }

    internal IDisposable? Lease { get; }

    /// <summary>Marks record <paramref name="index"/> as written.</summary>
    public void Accept(int index) => _outcomes[index] = Outcome.Accept;

    /// <summary>Marks record <paramref name="index"/> as refused for good (it is removed, and counted as rejected).</summary>
    public void Reject(int index) => _outcomes[index] = Outcome.Reject;

    /// <summary>Marks record <paramref name="index"/> to be kept for the next attempt (the default).</summary>
    public void Keep(int index) => _outcomes[index] = Outcome.Keep;

    /// <summary>Marks every record as written.</summary>
    public void AcceptAll() => Array.Fill(_outcomes, Outcome.Accept);

    /// <summary>Marks every record as refused for good.</summary>
    public void RejectAll() => Array.Fill(_outcomes, Outcome.Reject);

    /// <summary>Marks every record to be kept.</summary>
    public void KeepAll() => Array.Fill(_outcomes, Outcome.Keep);

    /// <summary>True when record <paramref name="index"/> leaves the spool (accepted or rejected).</summary>
    public bool IsDone(int index) => _outcomes[index] != Outcome.Keep;

    /// <summary>True when record <paramref name="index"/> was rejected.</summary>
    public bool IsRejected(int index) => _outcomes[index] == Outcome.Reject;
}

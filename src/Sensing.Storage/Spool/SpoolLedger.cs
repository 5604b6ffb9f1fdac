namespace Sensing.Storage.Spool;

/// <summary>
/// The bookkeeping both spools share: the checkpoint (first record not yet done), where the next batch starts,
/// and records done out of order (after a kept one) that must be skipped until the checkpoint passes them.
/// Not thread-safe; the owning spool locks around it.
/// </summary>
internal sealed class SpoolLedger
{
    private readonly Dictionary<long, long> _doneAhead = [];

    public SpoolLedger(long checkpoint)
    {
        Checkpoint = checkpoint;
        ReadPosition = checkpoint;
    }

    /// <summary>Id of the oldest record not yet accepted or rejected (everything before it can be deleted).</summary>
    public long Checkpoint { get; private set; }

    /// <summary>Id where the next batch starts reading.</summary>
    public long ReadPosition { get; private set; }

    /// <summary>The batch in flight, if any.</summary>
    public SpoolBatch? InFlight { get; private set; }

    /// <summary>When <paramref name="id"/> was already done out of order, gives the id after it.</summary>
    public bool IsDoneAhead(long id, out long next) => _doneAhead.TryGetValue(id, out next);

    public void Begin(SpoolBatch batch)
    {
        if (InFlight is not null)
        {
            throw new InvalidOperationException("A spool batch is already in flight; end it before taking another.");
        }

        InFlight = batch;
    }

    public void Release(SpoolBatch batch)
    {
        if (!ReferenceEquals(batch, InFlight))
        {
            throw new InvalidOperationException("This batch is not the one in flight on this spool.");
        }

        InFlight = null;
    }

    /// <summary>Applies a batch's outcome; returns the lines that left the spool.</summary>
    public long End(SpoolBatch batch)
    {
        Release(batch);
        var done = new Dictionary<long, long>();
        long firstKept = -1;
        long doneLines = 0;
        var records = batch.Records;
        for (var i = 0; i < records.Count; i++)
        {
            if (batch.IsDone(i))
            {
                done[records[i].Id] = batch.NextIds[i];
                doneLines += records[i].LineCount;
            }
            else if (firstKept < 0)
            {
                firstKept = records[i].Id;
            }
        }

        // Kept records are handed out again first, in order; done ones after them are skipped until the checkpoint passes.
        ReadPosition = firstKept >= 0 ? firstKept : batch.NextIds[^1];
        var checkpoint = Checkpoint;
        while (done.Remove(checkpoint, out var next) || _doneAhead.Remove(checkpoint, out next))
        {
            checkpoint = next;
        }

        foreach (var (id, next) in done)
        {
            _doneAhead[id] = next;
        }

        Checkpoint = checkpoint;
        if (ReadPosition < checkpoint)
        {
            ReadPosition = checkpoint;
        }

        return doneLines;
    }
}

namespace Sensing.Storage.Spool;

/// <summary>One appended record as handed out in a batch.</summary>
/// <param name="Id">Position of the record in the spool (increasing in append order).</param>
/// <param name="LineCount">Points in the record.</param>
/// <param name="Lines">The line-protocol bytes, each line ending in <c>\n</c>; valid until the batch ends.</param>
public readonly record struct SpoolRecord(long Id, int LineCount, ReadOnlyMemory<byte> Lines);

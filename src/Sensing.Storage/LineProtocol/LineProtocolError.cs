namespace Sensing.Storage.LineProtocol;

/// <summary>Why a value cannot be written as line protocol. Messages come from <see cref="LineProtocolException"/>.</summary>
public enum LineProtocolError
{
    /// <summary>A measurement, tag key, tag value or field key is empty (InfluxDB rejects empty tag values: omit the tag).</summary>
    Empty,

    /// <summary>A CR or LF inside a name or value: line protocol has no escape for them.</summary>
    LineBreak,

    /// <summary>A backslash in a name or tag value: 1.x leaves <c>\\</c> there ambiguous, so names never carry one.</summary>
    Backslash,

    /// <summary>A key InfluxDB reserves: <c>time</c>, or any name starting with <c>_</c> (2.x/3.x reserve those).</summary>
    ReservedName,

    /// <summary>A measurement starting with <c>#</c> would turn the line into a comment.</summary>
    CommentMarker,

    /// <summary>Tags must be given in ordinal key order (InfluxDB's own sort; unsorted tags cost the server a sort).</summary>
    TagsNotSorted,

    /// <summary>NaN or infinity: line protocol floats must be finite.</summary>
    NonFiniteFloat,

    /// <summary>A string field longer than InfluxDB's 64 KiB limit.</summary>
    StringTooLong,

    /// <summary>The timestamp is outside 1677-09-21 .. 2262-04-11, InfluxDB's range.</summary>
    TimestampOutOfRange,

    /// <summary>The calls came in the wrong order (e.g. a tag after a field, or a line ended without a field).</summary>
    WrongOrder,
}

using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sensing.Storage.LineProtocol;

/// <summary>A point that cannot be expressed as valid line protocol; <see cref="Reason"/> says why.</summary>
public sealed class LineProtocolException : ArgumentException
{
    public LineProtocolException(LineProtocolError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>The typed reason; tests and callers branch on this, never on the message.</summary>
    public LineProtocolError Reason { get; }

    /// <summary>The single place that turns a reason into a message naming what was wrong and where.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(LineProtocolError reason, string element, string? value = null)
    {
        var shown = value is null ? string.Empty : $" '{Shorten(value)}'";
        var why = reason switch
        {
            LineProtocolError.Empty => "is empty; InfluxDB rejects empty names and tag values (omit the tag instead)",
            LineProtocolError.LineBreak => "contains CR or LF, which line protocol cannot carry",
            LineProtocolError.Backslash => "contains a backslash, which InfluxDB 1.x reads ambiguously in names and tag values",
            LineProtocolError.ReservedName => "is reserved by InfluxDB ('time' and names starting with '_')",
            LineProtocolError.CommentMarker => "starts with '#', which makes the line a comment",
            LineProtocolError.TagsNotSorted => "is out of order: give tags in ordinal key order",
            LineProtocolError.NonFiniteFloat => "is NaN or infinite; line protocol floats must be finite",
            LineProtocolError.StringTooLong => "is longer than InfluxDB's 64 KiB string limit",
            LineProtocolError.TimestampOutOfRange => "is outside InfluxDB's time range (1677-09-21 .. 2262-04-11)",
            LineProtocolError.WrongOrder => "came in the wrong order: measurement, tags, fields, then the timestamp",
            _ => "is invalid",
        };
        throw new LineProtocolException(reason, $"Line protocol {element}{shown} {why}.");
    }

    private static string Shorten(string value)
        => value.Length <= 64 ? value.ReplaceLineEndings("\\n") : string.Concat(value.AsSpan(0, 61).ToString().ReplaceLineEndings("\\n"), "...");
}

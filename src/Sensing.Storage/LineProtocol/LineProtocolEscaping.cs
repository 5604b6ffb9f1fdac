using System.Buffers;
using System.Text;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// The escaping rules of the line-protocol reference, in one place:
/// measurement: comma and space; tag key, tag value, field key: comma, equals sign and space;
/// string field value: double quote and backslash. Everything else (UTF-8, emoji) passes through unchanged.
/// </summary>
internal static class LineProtocolEscaping
{
    private static readonly SearchValues<char> MeasurementSpecial = SearchValues.Create(", \\\r\n");
    private static readonly SearchValues<char> KeySpecial = SearchValues.Create(",= \\\r\n");
    private static readonly SearchValues<char> StringSpecial = SearchValues.Create("\"\\\r\n");

    /// <summary>InfluxDB's string field limit (64 KiB).</summary>
    public const int MaxStringBytes = 64 * 1024;

    /// <summary>Upper bound of the escaped UTF-8 length of any text (each char at most 3 bytes, escapes double ASCII).</summary>
    public static int MaxEscapedBytes(int chars) => chars * 3 + 2;

    /// <summary>Writes an escaped measurement name; validates it first.</summary>
    public static int WriteMeasurement(string name, Span<byte> destination)
    {
        ValidateName(name, "measurement");
        if (name[0] == '#')
        {
            LineProtocolException.Throw(LineProtocolError.CommentMarker, "measurement", name);
        }

        return Write(name, destination, MeasurementSpecial);
    }

    /// <summary>Writes an escaped tag key or field key (<paramref name="element"/> names it in errors).</summary>
    public static int WriteKey(string key, Span<byte> destination, string element)
    {
        ValidateName(key, element);
        if (key == "time" || key[0] == '_')
        {
            LineProtocolException.Throw(LineProtocolError.ReservedName, element, key);
        }

        return Write(key, destination, KeySpecial);
    }

    /// <summary>Writes an escaped tag value.</summary>
    public static int WriteTagValue(string value, Span<byte> destination)
    {
        ValidateName(value, "tag value");
        return Write(value, destination, KeySpecial);
    }

    /// <summary>Writes a quoted, escaped string field value.</summary>
    public static int WriteStringField(string value, Span<byte> destination)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            LineProtocolException.Throw(LineProtocolError.LineBreak, "string field", value);
        }

        destination[0] = (byte)'"';
        var written = 1;
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var special = rest.IndexOfAny(StringSpecial);
            var plain = special < 0 ? rest : rest[..special];
            written += Encoding.UTF8.GetBytes(plain, destination[written..]);
            if (special < 0)
            {
                break;
            }

            // A backslash is always doubled: 1.x reads both "\" and "\\" as one backslash, so "\\" is the unambiguous form.
            destination[written++] = (byte)'\\';
            destination[written++] = (byte)rest[special];
            rest = rest[(special + 1)..];
        }

        if (written - 1 > MaxStringBytes)
        {
            LineProtocolException.Throw(LineProtocolError.StringTooLong, "string field", value);
        }

        destination[written++] = (byte)'"';
        return written;
    }

    private static void ValidateName(string name, string element)
    {
        if (string.IsNullOrEmpty(name))
        {
            LineProtocolException.Throw(LineProtocolError.Empty, element);
        }

        var bad = name.AsSpan().IndexOfAny('\r', '\n', '\\');
        if (bad >= 0)
        {
            LineProtocolException.Throw(name[bad] == '\\' ? LineProtocolError.Backslash : LineProtocolError.LineBreak, element, name);
        }
    }

    private static int Write(string text, Span<byte> destination, SearchValues<char> special)
    {
        var written = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var index = rest.IndexOfAny(special);
            var plain = index < 0 ? rest : rest[..index];
            written += Encoding.UTF8.GetBytes(plain, destination[written..]);
            if (index < 0)
            {
                break;
            }

            // Only comma, space and (for keys and tag values) the equals sign reach here: validation rejected the rest.
            destination[written++] = (byte)'\\';
            destination[written++] = (byte)rest[index];
            rest = rest[(index + 1)..];
        }

        return written;
    }
}

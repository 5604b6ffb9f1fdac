using System.Runtime.CompilerServices;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// The fields of one line begun by <see cref="LineProtocolWriter.BeginLine"/>, written into room reserved for the
/// whole line: the schema's points know their shape, so each part is appended at a cursor with no state to check.
/// Ended by <see cref="LineProtocolWriter.EndLine"/>.
/// </summary>
internal ref struct PointLine
{
    /// <summary>Room for the fields of one line (the schema's longest, the device point, takes about 120 bytes).</summary>
    public const int FieldRoom = 320;

    private const int ValueRoom = 32;

    private readonly Span<byte> _span;

    public PointLine(Span<byte> span, int seriesLength)
    {
        _span = span;
        Length = seriesLength;
    }

    /// <summary>Bytes written: the series prefix and the fields so far.</summary>
    public int Length { get; private set; }

    /// <summary>True once a field is written (a line needs one).</summary>
    public bool HasField { get; private set; }

    /// <summary>An integer field, with the <c>i</c> suffix.</summary>
    public void Field(FieldKey key, long value)
    {
        var span = Start(key);
        var n = LineProtocolWriter.WriteInteger(value, span);
        span[n++] = (byte)'i';
        Length += n;
    }

    /// <summary>A float field rounded to <paramref name="decimals"/> places (see <see cref="LineProtocolWriter.Field(FieldKey, double, int)"/>).</summary>
    public void Field(FieldKey key, double value, int decimals)
    {
        LineProtocolWriter.CheckFinite(key, value);
        var span = Start(key); // before the +=, which would read Length first
        Length += LineProtocolWriter.WriteFixed(value, decimals, span);
    }

    /// <summary>A float field in its shortest round-trip form.</summary>
    public void Field(FieldKey key, double value)
    {
        LineProtocolWriter.CheckFinite(key, value);
        var span = Start(key);
        Length += LineProtocolWriter.WriteDouble(value, span);
    }

    /// <summary>A single-precision float field in its shortest round-trip form.</summary>
    public void Field(FieldKey key, float value)
    {
        LineProtocolWriter.CheckFinite(key, value);
        var span = Start(key);
        value.TryFormat(span, out var n, "R", System.Globalization.CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>A boolean field.</summary>
    public void Field(FieldKey key, bool value)
    {
        var text = value ? "true"u8 : "false"u8;
        text.CopyTo(Start(key)); // Start moves Length first, then the value's bytes are added
        Length += text.Length;
    }

    // The separator and the key; returns the room for the value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Start(FieldKey key)
    {
        var bytes = key.Bytes;
        if (Length + 1 + bytes.Length + Math.Max(ValueRoom, PaddedBytes.Slack) > _span.Length)
        {
            throw new InvalidOperationException($"A schema line is longer than the {FieldRoom} bytes reserved for its fields.");
        }

        var span = _span[Length..];
        span[0] = HasField ? (byte)',' : (byte)' ';
        bytes.CopyTo(span[1..]);
        Length += bytes.Length + 1;
        HasField = true;
        return span[(bytes.Length + 1)..];
    }
}

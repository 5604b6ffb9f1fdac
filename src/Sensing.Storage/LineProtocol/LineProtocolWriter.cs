using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// Appends points as line protocol into one pooled, growable UTF-8 buffer:
/// <c>measurement[,tag=value...] field=value[,field=value...] timestamp\n</c>.
/// </summary>
/// <remarks>
/// Calls go in the order <see cref="Measurement"/> (or <see cref="Series"/>), <see cref="Tag"/>s in ordinal key
/// order, at least one <c>Field</c>, then <see cref="Timestamp"/>, which ends the line. Integers always carry the
/// <c>i</c> suffix (never <c>u</c>: 1.6 lacks unsigned fields); every line has an explicit timestamp in
/// <see cref="Precision"/>. Names are escaped by the reference rules and rejected with a
/// <see cref="LineProtocolException"/> where line protocol cannot carry them.
/// Not thread-safe: one writer per producer, reused after <see cref="Clear"/>; <see cref="Dispose"/> returns the
/// buffer to the pool.
/// </remarks>
public sealed class LineProtocolWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private int _lineStart;
    private State _state;
    private string? _lastTagKey;
    private readonly long _minTimestamp;
    private readonly long _maxTimestamp;
    private readonly TimestampDigits _stamps = new();

    private const int MaxDecimals = 6;
    private const int TimestampRoom = 24; // ' ', up to 20 digits and a sign, '\n'
    private static ReadOnlySpan<double> Powers => [1, 10, 100, 1e3, 1e4, 1e5, 1e6];

    /// <summary>Creates a writer for one precision and destination retention policy.</summary>
    /// <param name="precision">Unit of every timestamp written (ms or s, the only two ever sent).</param>
    /// <param name="retentionPolicy">The retention policy these lines go to; null means the writer's configured default.</param>
    /// <param name="initialCapacity">Initial buffer size in bytes; it grows by doubling.</param>
    public LineProtocolWriter(WritePrecision precision = WritePrecision.Milliseconds, string? retentionPolicy = null, int initialCapacity = 16 * 1024)
    {
        if (!WritePrecisions.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Only ms or s precision is supported.");
        }

        Precision = precision;
        RetentionPolicy = retentionPolicy;
        (_minTimestamp, _maxTimestamp) = precision.Range();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, initialCapacity));
    }

    private enum State : byte
    {
        LineStart,
        Tags,
        Fields,
    }

    /// <summary>Unit of the timestamps in this buffer.</summary>
    public WritePrecision Precision { get; }

    /// <summary>Retention policy the lines are written to (null: the configured default).</summary>
    public string? RetentionPolicy { get; }

    /// <summary>Complete lines written since the last <see cref="Clear"/>.</summary>
    public int LineCount { get; private set; }

    /// <summary>The complete lines, each ending in <c>\n</c> (an unfinished line is not included).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _lineStart);

    /// <summary>The complete lines as memory; valid until the next call that writes or clears.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _lineStart);

    /// <summary>The unfinished line written so far (used to pre-build series prefixes).</summary>
    internal ReadOnlySpan<byte> PendingLine => _buffer.AsSpan(_lineStart, _length - _lineStart);

    /// <summary>Bytes of complete lines.</summary>
    public int Length => _lineStart;

    /// <summary>Starts a line with an escaped measurement name.</summary>
    public LineProtocolWriter Measurement(string name)
    {
        ExpectState(State.LineStart, "measurement");
        var span = Reserve(LineProtocolEscaping.MaxEscapedBytes(name?.Length ?? 0));
        _length += LineProtocolEscaping.WriteMeasurement(name!, span);
        _state = State.Tags;
        _lastTagKey = null;
        return this;
    }

    /// <summary>Starts a line with a pre-escaped measurement and sorted tag set (the hot path).</summary>
    public LineProtocolWriter Series(SeriesPrefix series)
    {
        ExpectState(State.LineStart, "series");
        var bytes = series.Bytes;
        bytes.CopyTo(Reserve(bytes.Length + PaddedBytes.Slack));
        _length += bytes.Length;
        _state = State.Tags;
        if (!ReferenceEquals(_lastTagKey, series.LastTagKey))
        {
            _lastTagKey = series.LastTagKey; // stored only on change: a reference store costs a GC write barrier per point
        }

        return this;
    }

    /// <summary>Adds a tag; keys must come in ordinal order and values must not be empty.</summary>
    public LineProtocolWriter Tag(string key, string value)
    {
        ExpectState(State.Tags, "tag");
        if (_lastTagKey is not null && string.CompareOrdinal(_lastTagKey, key) >= 0)
        {
            LineProtocolException.Throw(LineProtocolError.TagsNotSorted, "tag key", key);
        }

        var span = Reserve(LineProtocolEscaping.MaxEscapedBytes((key?.Length ?? 0) + (value?.Length ?? 0)) + 2);
        span[0] = (byte)',';
        var n = 1 + LineProtocolEscaping.WriteKey(key!, span[1..], "tag key");
        span[n++] = (byte)'=';
        n += LineProtocolEscaping.WriteTagValue(value!, span[n..]);
        _length += n;
        _lastTagKey = key;
        return this;
    }

    /// <summary>Adds an integer field, written with the <c>i</c> suffix.</summary>
    public LineProtocolWriter Field(string key, long value) => Field(FieldKey.Create(key), value);

    /// <summary>Adds a float field; NaN and infinities are rejected.</summary>
    public LineProtocolWriter Field(string key, double value) => Field(FieldKey.Create(key), value);

    /// <summary>Adds a boolean field (<c>true</c>/<c>false</c>).</summary>
    public LineProtocolWriter Field(string key, bool value) => Field(FieldKey.Create(key), value);

    /// <summary>Adds a string field, quoted, with <c>"</c> and <c>\</c> escaped.</summary>
    public LineProtocolWriter Field(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = FieldStart(FieldKey.Create(key), LineProtocolEscaping.MaxEscapedBytes(value.Length));
        _length += LineProtocolEscaping.WriteStringField(value, span);
        return this;
    }

    /// <summary>Adds an integer field under a pre-escaped key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LineProtocolWriter Field(FieldKey key, long value)
    {
        var span = FieldStart(key, 21);
        var n = WriteInteger(value, span);
        span[n++] = (byte)'i';
        _length += n;
        return this;
    }

    /// <summary>Adds a float field under a pre-escaped key (shortest round-trip form).</summary>
    public LineProtocolWriter Field(FieldKey key, double value)
    {
        CheckFinite(key, value);
        var span = FieldStart(key, 32); // before the +=, which would read _length first
        _length += WriteDouble(value, span);
        return this;
    }

    /// <summary>
    /// Adds a float field rounded to <paramref name="decimals"/> places (0-6), without trailing zeros: for measured
    /// values whose resolution is known, so the text carries that resolution and not seventeen digits of noise.
    /// </summary>
    public LineProtocolWriter Field(FieldKey key, double value, int decimals)
    {
        CheckFinite(key, value);
        var span = FieldStart(key, 32);
        _length += WriteFixed(value, decimals, span);
        return this;
    }

    /// <summary>
    /// Starts a line whose shape the caller knows (the schema's points): the series prefix now, the fields through the
    /// returned <see cref="PointLine"/>, then <see cref="EndLine"/>. One reservation for the line instead of one per
    /// part, and no state to check between parts.
    /// </summary>
    internal PointLine BeginLine(SeriesPrefix series)
    {
        ExpectState(State.LineStart, "series");
        var bytes = series.Bytes;
        var span = Reserve(bytes.Length + PointLine.FieldRoom + TimestampRoom);
        bytes.CopyTo(span);
        return new PointLine(span[..(bytes.Length + PointLine.FieldRoom)], bytes.Length);
    }

    /// <summary>Ends a line begun with <see cref="BeginLine"/> with its timestamp, in <see cref="Precision"/>.</summary>
    /// <exception cref="LineProtocolException">No field was written, or the timestamp is outside InfluxDB's range.</exception>
    internal void EndLine(ref PointLine line, long timestamp)
    {
        if (!line.HasField)
        {
            LineProtocolException.Throw(LineProtocolError.WrongOrder, "timestamp (a line needs at least one field)");
        }

        CheckTimestamp(timestamp);
        _length += line.Length; // only now: a line that failed part-way leaves nothing behind
        AppendTimestamp(timestamp);
    }

    /// <summary>Adds a single-precision float field (shortest form that round-trips the float, e.g. <c>0.1</c>).</summary>
    public LineProtocolWriter Field(FieldKey key, float value) => FloatField(key, value, 24);

    /// <summary>Adds a boolean field under a pre-escaped key.</summary>
    public LineProtocolWriter Field(FieldKey key, bool value)
    {
        var span = FieldStart(key, 5);
        var text = value ? "true"u8 : "false"u8;
        text.CopyTo(span);
        _length += text.Length;
        return this;
    }

    /// <summary>Ends the line with its timestamp, in <see cref="Precision"/>.</summary>
    /// <exception cref="LineProtocolException">No field was written, or the timestamp is outside InfluxDB's range.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Timestamp(long timestamp)
    {
        if (_state != State.Fields)
        {
            LineProtocolException.Throw(LineProtocolError.WrongOrder, "timestamp (a line needs at least one field)");
        }

        CheckTimestamp(timestamp);
        AppendTimestamp(timestamp);
    }

    private void CheckTimestamp(long timestamp)
    {
        if (timestamp < _minTimestamp || timestamp > _maxTimestamp)
        {
            LineProtocolException.Throw(LineProtocolError.TimestampOutOfRange, "timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        }
    }

    // Ends the line: ' ', the timestamp, '\n'.
    private void AppendTimestamp(long timestamp)
    {
        var span = Reserve(TimestampRoom);
        span[0] = (byte)' ';
        var n = _stamps.Write(timestamp, span[1..]);
        span[n + 1] = (byte)'\n';
        _length += n + 2;
        _lineStart = _length;
        _state = State.LineStart;
        LineCount++;
    }

    /// <summary>Drops an unfinished line (e.g. after a <see cref="LineProtocolException"/>), keeping complete ones.</summary>
    public void AbandonLine()
    {
        _length = _lineStart;
        _state = State.LineStart;
    }

    /// <summary>Empties the writer for reuse; keeps the buffer.</summary>
    public void Clear()
    {
        _length = 0;
        _lineStart = 0;
        LineCount = 0;
        _state = State.LineStart;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The fast path for the values sensor summaries carry (12.5, 0.25, 87): below 10^9 with at most six decimals.
    /// Writes the fewest decimals k for which m / 10^k (m = the value scaled and rounded) is the value again; IEEE
    /// division of those exact operands is correctly rounded, as parsing the text is, so the text reads back as the
    /// same double. Anything else is left to the runtime's shortest round-trip formatting.
    /// </summary>
    private static bool TryFormatShortDecimal(double value, Span<byte> span, out int written)
    {
        written = 0;
        double magnitude = Math.Abs(value);
        if (!(magnitude < 1e9))
        {
            return false;
        }

        for (int k = 0; k <= MaxDecimals; k++)
        {
            double scaled = Math.Round(magnitude * Powers[k]);
            if (scaled / Powers[k] == magnitude)
            {
                written = WriteDecimal((long)scaled, k, double.IsNegative(value), span);
                return true;
            }
        }

        return false;
    }

    /// <summary>Refuses NaN and infinities, which line protocol cannot carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckFinite(FieldKey key, double value)
    {
        if (!double.IsFinite(value))
        {
            LineProtocolException.Throw(LineProtocolError.NonFiniteFloat, "field", key.Name);
        }
    }

    /// <summary>A finite double in its shortest round-trip form (32 bytes of room).</summary>
    internal static int WriteDouble(double value, Span<byte> span)
    {
        if (!TryFormatShortDecimal(value, span, out var n))
        {
            value.TryFormat(span, out n, "R", CultureInfo.InvariantCulture);
        }

        return n;
    }

    /// <summary>
    /// A finite double rounded half away from zero to <paramref name="decimals"/> places (0-6), without trailing zeros
    /// (32 bytes of room); one too large to round through a long is written in its shortest round-trip form.
    /// </summary>
    internal static int WriteFixed(double value, int decimals, Span<byte> span)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)decimals, (uint)MaxDecimals, nameof(decimals));
        var scaled = Math.Round(value * Powers[decimals], MidpointRounding.AwayFromZero);
        if (!(Math.Abs(scaled) < 1e15))
        {
            return WriteDouble(value, span);
        }

        long digits = (long)Math.Abs(scaled);
        int k = decimals;
        while (k > 0 && digits % 10 == 0)
        {
            digits /= 10;
            k--;
        }

        return WriteDecimal(digits, k, scaled < 0, span);
    }

    // The decimal digits / 10^decimals, with a sign: "12.75", "-0.5", "87".
    private static int WriteDecimal(long digits, int decimals, bool negative, Span<byte> span)
    {
        int n = 0;
        if (negative)
        {
            span[n++] = (byte)'-';
        }

        // Constant divisors, which compile to multiplications; a division by a variable power of ten costs more than the rest.
        var (whole, fraction) = decimals switch
        {
            0 => (digits, 0L),
            1 => Math.DivRem(digits, 10L),
            2 => Math.DivRem(digits, 100L),
            3 => Math.DivRem(digits, 1_000L),
            4 => Math.DivRem(digits, 10_000L),
            5 => Math.DivRem(digits, 100_000L),
            _ => Math.DivRem(digits, 1_000_000L),
        };
        n += WriteInteger(whole, span[n..]);
        if (decimals > 0)
        {
            span[n] = (byte)'.';
            for (int j = decimals; j > 0; j--, fraction /= 10)
            {
                span[n + j] = (byte)('0' + (int)(fraction % 10));
            }

            n += decimals + 1;
        }

        return n;
    }

    // Decimal digits of an integer: counts of steps and seconds are mostly one or two digits; the rest goes to the
    // invariant formatter, which needs no culture lookup (spans of 21 bytes always suffice).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int WriteInteger(long value, Span<byte> span)
    {
        if ((ulong)value < 10)
        {
            span[0] = (byte)('0' + (int)value);
            return 1;
        }

        if ((ulong)value < 100)
        {
            DigitPairs.Write((int)value, span);
            return 2;
        }

        Utf8Formatter.TryFormat(value, span, out var written);
        return written;
    }

    private LineProtocolWriter FloatField<T>(FieldKey key, T value, int maxBytes)
        where T : IFloatingPointIeee754<T>, IUtf8SpanFormattable
    {
        if (!T.IsFinite(value))
        {
            LineProtocolException.Throw(LineProtocolError.NonFiniteFloat, "field", key.Name);
        }

        var span = FieldStart(key, maxBytes);
        value.TryFormat(span, out var n, "R", CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> FieldStart(FieldKey key, int valueBytes)
    {
        if (_state == State.LineStart)
        {
            LineProtocolException.Throw(LineProtocolError.WrongOrder, "field before a measurement", key.Name);
        }

        var bytes = key.Bytes;
        var span = Reserve(bytes.Length + 1 + Math.Max(valueBytes, PaddedBytes.Slack));
        span[0] = _state == State.Tags ? (byte)' ' : (byte)',';
        bytes.CopyTo(span[1..]);
        _length += bytes.Length + 1;
        _state = State.Fields;
        return span[(bytes.Length + 1)..];
    }

    private void ExpectState(State expected, string element)
    {
        if (_state != expected)
        {
            LineProtocolException.Throw(LineProtocolError.WrongOrder, element);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _length < bytes)
        {
            Grow(bytes);
        }

        return _buffer.AsSpan(_length);
    }

    private void Grow(int bytes)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var size = Math.Max(_buffer.Length * 2, _length + bytes);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

using System.Text;

namespace Sensing.Storage.LineProtocol;

/// <summary>A field key escaped once, with its <c>=</c>, so hot paths copy bytes instead of escaping per point.</summary>
public sealed class FieldKey
{
    private FieldKey(string name, ReadOnlySpan<byte> utf8)
    {
        Name = name;
        Bytes = new PaddedBytes(utf8);
    }

    /// <summary>The key as given.</summary>
    public string Name { get; }

    /// <summary>The escaped key followed by <c>=</c>.</summary>
    public ReadOnlySpan<byte> Utf8 => Bytes.Span;

    /// <summary>The same bytes, for the writer's block copy.</summary>
    internal PaddedBytes Bytes { get; }

    /// <summary>Escapes and validates a field key.</summary>
    /// <exception cref="LineProtocolException">The key is empty, reserved, or holds CR, LF or a backslash.</exception>
    public static FieldKey Create(string name)
    {
        var buffer = new byte[LineProtocolEscaping.MaxEscapedBytes(name?.Length ?? 0) + 1];
        var n = LineProtocolEscaping.WriteKey(name!, buffer, "field key");
        buffer[n++] = (byte)'=';
        return new FieldKey(name!, buffer.AsSpan(0, n));
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}
